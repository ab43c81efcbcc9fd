internal import CCurl

/// C entry points handed to libcurl; `userdata` is the unretained `CurlTransfer` (kept alive by the loop).
enum CurlCallbacks {
    static let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        guard let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        guard let data, length > 0 else { return length }
        return transfer.receive(UnsafeRawBufferPointer(start: data, count: length))
    }

    static let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        let length = size * count
        guard let userdata, let data else { return length }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
        return length
    }

    /// Progress: a non-zero return aborts the transfer, which is how Task cancellation stops a running transfer.
    static let progress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
        userdata, _, _, _, _ in
        guard let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        return transfer.isCancelled ? 1 : 0
    }
}
