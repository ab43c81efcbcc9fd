import Foundation
import Testing
@testable import ESCertificates

@Suite struct CertificateFilesTests {
    @Test func writeThenReadRoundTripsWithPrivateKeyModes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let target = directory.path + "/nested/certs"
        let files = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: [], caValidity: .seconds(86400), certificateValidity: .seconds(3600))
        try files.write(toDirectory: target)
        #expect(try CertificateFiles.read(fromDirectory: target) == files)

        let manager = FileManager.default
        for (name, mode) in [("tls.key", 0o600), ("ca.key", 0o600), ("tls.crt", 0o644), ("ca.crt", 0o644)] {
            let attributes = try manager.attributesOfItem(atPath: "\(target)/..data/\(name)")
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(name)")
            #expect(try manager.destinationOfSymbolicLink(atPath: "\(target)/\(name)") == "..data/\(name)")
        }
    }

    @Test func rewriteReplacesTheSnapshotAndDropsAStaleCAKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let first = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: [], caValidity: .seconds(86400), certificateValidity: .seconds(3600))
        try first.write(toDirectory: directory.path)
        var second = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: [], caValidity: .seconds(86400), certificateValidity: .seconds(3600))
        second.caKeyPEM = nil
        try second.write(toDirectory: directory.path)
        #expect(try CertificateFiles.read(fromDirectory: directory.path) == second)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/ca.key"))
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("..certs_") }
        #expect(snapshots.count == 1)
    }

    @Test func readsPlainFilesAndReportsMissingOnes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        #expect(try CertificateFiles.readIfPresent(fromDirectory: directory.path) == nil)
        #expect(throws: CertificateError("\(directory.path): missing tls.crt, tls.key or ca.crt")) {
            try CertificateFiles.read(fromDirectory: directory.path)
        }
        let files = try CertificateIssuer.issue(
            dnsNames: serviceNames, ipAddresses: [], caValidity: .seconds(86400), certificateValidity: .seconds(3600))
        try files.caCertificatePEM.write(toFile: directory.path + "/ca.crt", atomically: true, encoding: .utf8)
        try files.certificatePEM.write(toFile: directory.path + "/tls.crt", atomically: true, encoding: .utf8)
        try files.keyPEM.write(toFile: directory.path + "/tls.key", atomically: true, encoding: .utf8)
        let read = try CertificateFiles.read(fromDirectory: directory.path)
        #expect(read.caKeyPEM == nil)
        #expect(read.certificatePEM == files.certificatePEM)
        // Writing over plain files converts the directory to the atomic layout.
        try files.write(toDirectory: directory.path)
        #expect(try CertificateFiles.read(fromDirectory: directory.path) == files)
    }
}
