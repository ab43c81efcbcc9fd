// The pure rotation decision: given what is stored and what is injected, what should be stored next.
import ESCertificates

/// Decides issuance, renewal and overlapping CA rotation. Pure apart from key generation: the same inputs give
/// the same steps, which makes every path testable with explicit clocks.
///
/// CA rotation never leaves a gap for a client that trusts the published bundle:
/// 1. the new CA joins the bundle (its key becomes `ca.key`), the serving certificate stays;
/// 2. once every injected bundle holds the new CA, and it has been published for `minimumCAOverlap`, the serving
///    certificate is re-issued from it;
/// 3. an old CA leaves the bundle once no serving certificate it signed can still be valid: every such certificate
///    was issued before its successor CA existed, so it expires by `successor.created + certificateValidity` (or
///    with the old CA, whichever is first).
public enum RotationPlanner {
    /// - Parameters:
    ///   - current: the stored material, nil when there is none.
    ///   - injectedBundles: the `caBundle` of every managed webhook (nil entries: not injected yet). Empty when
    ///     nothing is injected (standalone): the stored `ca.crt` is then the only published bundle.
    ///   - request: an operator-requested early rotation. A CA rotation request is honoured only while no CA
    ///     rotation is in progress; `RotationPlan.honoredRequest` says whether it was.
    public static func plan(
        current: CertificateFiles?, injectedBundles: [String?], policy: RotationPolicy, now: Int64,
        request: RotationRequest? = nil
    ) throws(CertificateError) -> RotationPlan {
        guard let current else {
            return try issueEverything(reason: "no certificates stored", policy: policy, now: now)
        }
        var bundle = CABundle.entries(current.caCertificatePEM)
        guard !bundle.isEmpty else {
            return try issueEverything(reason: "ca.crt holds no CA certificate", policy: policy, now: now)
        }
        var steps: [RotationStep] = []
        var files = current

        // The signing CA is the bundle entry that matches ca.key.
        var signer = current.caKeyPEM.flatMap { key in
            bundle.first { CertificateVerifier.keyMatches(certificatePEM: $0.pem, keyPEM: key) }
        }
        let leaf = LeafState(files: current, bundle: bundle, policy: policy, now: now)

        var honoredRequest = false
        var signerProblem: String? = if let signer {
            if !signer.info.isValid(at: now) {
                "the CA is not valid now"
            } else if signer.info.secondsRemaining(at: now) < policy.caRenewalThreshold {
                "the CA expires at \(UnixTime.format(signer.info.notAfter)), less than a third of \(CertDuration.format(policy.caValidity)) away"
            } else {
                nil
            }
        } else {
            current.caKeyPEM == nil ? "ca.key is missing" : "ca.key matches no CA in ca.crt"
        }

        if signerProblem == nil, request == .certificateAuthority, let signer, leaf.unusableReason == nil,
           leaf.isSigned(by: signer, now: now) {
            signerProblem = "CA rotation requested"
            honoredRequest = true
        }
        if let signerProblem {
            if request == .certificateAuthority { honoredRequest = true }
            // Start a CA rotation: publish the new CA next to the old ones.
            let newCA = try CertificateIssuer.issueCertificateAuthority(
                keyAlgorithm: policy.keyAlgorithm, validity: policy.caValidity, now: now)
            guard let entry = CABundle.entries(newCA.certificatePEM).first else {
                throw CertificateError("the new CA could not be read back")
            }
            bundle.append(entry)
            signer = entry
            files.caKeyPEM = newCA.keyPEM
            steps.append(.addedNewCA(reason: signerProblem))
        }
        guard let signer else { throw CertificateError("no signing CA") }

        // Serving certificate.
        if let reason = leaf.unusableReason {
            // Nothing valid is being served: issue from the signing CA at once (nothing to overlap with).
            try reissue(&files, from: signer, caKey: files.caKeyPEM, policy: policy, now: now)
            steps.append(.reissuedCertificate(reason: reason))
        } else if !leaf.isSigned(by: signer, now: now) {
            let published = injectedBundles.allSatisfy { $0.map { CABundle.contains($0, signer) } ?? false }
            // createdAt is truncated to whole seconds: one more second guarantees the full overlap.
            let overlapEnd = signer.createdAt + UnixTime.seconds(policy.minimumCAOverlap) + 1
            if published && now >= overlapEnd && !steps.contains(where: { if case .addedNewCA = $0 { true } else { false } }) {
                try reissue(&files, from: signer, caKey: files.caKeyPEM, policy: policy, now: now)
                steps.append(.reissuedCertificate(reason: "switching to the new CA \(signer.info.subject)"))
            } else {
                steps.append(.waitingForBundlePropagation)
            }
        } else if let reason = leaf.renewalReason ?? (request == .certificate ? "renewal requested" : nil) {
            try reissue(&files, from: signer, caKey: files.caKeyPEM, policy: policy, now: now)
            steps.append(.reissuedCertificate(reason: reason))
            if request == .certificate { honoredRequest = true }
        }

        // Retire CAs nothing can chain to any more. A CA stopped signing when its successor (the next CA created)
        // took over ca.key, so every certificate it signed expires by successor.created + certificate validity.
        let servedLeaf = files.certificatePEM
        let creationTimes = bundle.map(\.createdAt)
        bundle.removeAll { entry in
            guard entry != signer else { return false }
            let successorCreated = creationTimes.filter { $0 >= entry.createdAt }.sorted().dropFirst().first
                ?? signer.createdAt
            let retireAfter = successorCreated + policy.certificateValiditySeconds
            let stillSigning = CertificateVerifier.isValid(
                leafPEM: servedLeaf, bundlePEM: entry.pem, dnsName: nil, at: now)
            let retire = !entry.info.isValid(at: now) || (!stillSigning && now > min(entry.info.notAfter, retireAfter))
            if retire { steps.append(.retiredCA(subject: entry.info.subject)) }
            return retire
        }
        files.caCertificatePEM = CABundle.pem(bundle)
        if files.caCertificatePEM != current.caCertificatePEM && !steps.contains(where: \.changesMaterial) {
            steps.append(.retiredCA(subject: "duplicate or non-CA entries"))
        }
        return RotationPlan(files: files, steps: steps, honoredRequest: honoredRequest)
    }

    private static func issueEverything(reason: String, policy: RotationPolicy, now: Int64) throws(CertificateError) -> RotationPlan {
        let files = try CertificateIssuer.issue(
            dnsNames: policy.dnsNames, ipAddresses: policy.ipAddresses, keyAlgorithm: policy.keyAlgorithm,
            caValidity: policy.caValidity, certificateValidity: policy.certificateValidity, now: now)
        return RotationPlan(files: files, steps: [.issuedNewCAAndCertificate(reason: reason)], honoredRequest: true)
    }

    private static func reissue(
        _ files: inout CertificateFiles, from signer: BundleEntry, caKey: String?, policy: RotationPolicy, now: Int64
    ) throws(CertificateError) {
        guard let caKey else { throw CertificateError("no CA key to sign with") }
        let issued = try CertificateIssuer.issueServingCertificate(
            ca: signer.pem, caKey: caKey, dnsNames: policy.dnsNames, ipAddresses: policy.ipAddresses,
            keyAlgorithm: policy.keyAlgorithm, validity: policy.certificateValidity, now: now)
        files.certificatePEM = issued.certificatePEM
        files.keyPEM = issued.keyPEM
    }
}

/// What is wrong, if anything, with the stored serving certificate.
struct LeafState {
    let files: CertificateFiles
    let info: CertificateInfo?
    /// Why it cannot be served at all (nil: it verifies against the bundle now).
    let unusableReason: String?
    /// Why it should be renewed although it still works (nil: keep it).
    let renewalReason: String?

    init(files: CertificateFiles, bundle: [BundleEntry], policy: RotationPolicy, now: Int64) {
        self.files = files
        let info = try? CertificateInspector.inspect(pem: files.certificatePEM).first
        self.info = info
        guard let info else {
            unusableReason = "tls.crt cannot be read"
            renewalReason = nil
            return
        }
        if !CertificateVerifier.keyMatches(certificatePEM: files.certificatePEM, keyPEM: files.keyPEM) {
            unusableReason = "tls.key does not match tls.crt"
        } else {
            do {
                try CertificateVerifier.verify(
                    leafPEM: files.certificatePEM, bundlePEM: CABundle.pem(bundle), dnsName: nil, at: now)
                unusableReason = nil
            } catch {
                unusableReason = error.message
            }
        }
        if Set(info.dnsNames) != Set(policy.dnsNames) || Set(info.ipAddresses) != Set(policy.ipAddresses) {
            renewalReason = "its names \(info.dnsNames + info.ipAddresses) differ from \(policy.dnsNames + policy.ipAddresses)"
        } else if info.secondsRemaining(at: now) < policy.certificateRenewalThreshold {
            renewalReason = "it expires at \(UnixTime.format(info.notAfter)), less than a third of \(CertDuration.format(policy.certificateValidity)) away"
        } else {
            renewalReason = nil
        }
    }

    func isSigned(by entry: BundleEntry, now: Int64) -> Bool {
        CertificateVerifier.isValid(leafPEM: files.certificatePEM, bundlePEM: entry.pem, dnsName: nil, at: now)
    }
}
