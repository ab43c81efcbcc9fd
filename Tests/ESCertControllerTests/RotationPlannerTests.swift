import ESCertController
import ESCertificates
import Testing

@Suite struct RotationPlannerTests {
    let names = ["wh.es.svc", "wh.es.svc.cluster.local"]

    func policy(ca: Int64 = 90, cert: Int64 = 30, overlap: Int64 = 5) -> RotationPolicy {
        RotationPolicy(dnsNames: names, caValidity: .seconds(ca), certificateValidity: .seconds(cert),
                       minimumCAOverlap: .seconds(overlap))
    }

    @Test func firstStartIssuesEverything() throws {
        let now = UnixTime.now()
        let plan = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy(), now: now)
        #expect(plan.steps == [.issuedNewCAAndCertificate(reason: "no certificates stored")])
        try CertificateVerifier.verify(plan.files, dnsName: names[0], at: now)
    }

    @Test func validMaterialIsKept() throws {
        let now = UnixTime.now()
        let first = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy(), now: now)
        let again = try RotationPlanner.plan(current: first.files, injectedBundles: [first.files.caCertificatePEM],
                                             policy: policy(), now: now + 10)
        #expect(again.steps.isEmpty)
        #expect(again.files == first.files)
        #expect(!again.changed)
    }

    @Test func servingCertificateIsRenewedWithATHirdLeft() throws {
        let now = UnixTime.now()
        let first = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy(), now: now)
        let early = try RotationPlanner.plan(current: first.files, injectedBundles: [], policy: policy(), now: now + 19)
        #expect(!early.changed)
        let late = try RotationPlanner.plan(current: first.files, injectedBundles: [], policy: policy(), now: now + 21)
        #expect(late.steps.count == 1)
        guard case .reissuedCertificate = late.steps.first else {
            Issue.record("expected a re-issue, got \(late.steps)")
            return
        }
        #expect(late.files.caCertificatePEM == first.files.caCertificatePEM)
        #expect(late.files.caKeyPEM == first.files.caKeyPEM)
        #expect(late.files.certificatePEM != first.files.certificatePEM)
        try CertificateVerifier.verify(late.files, dnsName: names[1], at: now + 21)
    }

    @Test func changedNamesForceANewServingCertificate() throws {
        let now = UnixTime.now()
        let first = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy(), now: now)
        var renamed = policy()
        renamed.dnsNames = ["other.es.svc"]
        let plan = try RotationPlanner.plan(current: first.files, injectedBundles: [], policy: renamed, now: now + 1)
        #expect(plan.changed)
        try CertificateVerifier.verify(plan.files, dnsName: "other.es.svc", at: now + 1)
    }

    @Test func unreadableMaterialIsReplaced() throws {
        let now = UnixTime.now()
        let garbage = CertificateFiles(caCertificatePEM: "junk", caKeyPEM: nil, certificatePEM: "junk", keyPEM: "junk")
        let plan = try RotationPlanner.plan(current: garbage, injectedBundles: [], policy: policy(), now: now)
        #expect(plan.steps == [.issuedNewCAAndCertificate(reason: "ca.crt holds no CA certificate")])
    }

    @Test func lostCAKeyRotatesTheCAWithoutDroppingTheServedCertificate() throws {
        let now = UnixTime.now()
        let first = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy(), now: now)
        var withoutKey = first.files
        withoutKey.caKeyPEM = nil
        let plan = try RotationPlanner.plan(current: withoutKey, injectedBundles: [first.files.caCertificatePEM],
                                            policy: policy(), now: now + 1)
        #expect(plan.steps == [.addedNewCA(reason: "ca.key is missing"), .waitingForBundlePropagation])
        #expect(plan.files.certificatePEM == first.files.certificatePEM)
        #expect(try CertificateInspector.inspect(pem: plan.files.caCertificatePEM).count == 2)
    }

    /// Simulates the control loop over many CA and serving-certificate lifetimes and checks, at every step, that a
    /// client holding either the previous or the new published bundle can verify either the previous or the new
    /// serving certificate whenever that certificate is still within its validity.
    @Test func rotationNeverLeavesAGapForBundleClients() throws {
        let start = UnixTime.now()
        let policy = policy(ca: 60, cert: 15, overlap: 2)
        var stored = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy, now: start).files
        var injected = stored.caCertificatePEM
        var caRotations = 0, leafRenewals = 0, retirements = 0, maximumBundle = 1
        for now in stride(from: start + 1, through: start + 400, by: 1) {
            let plan = try RotationPlanner.plan(current: stored, injectedBundles: [injected], policy: policy, now: now)
            for step in plan.steps {
                switch step {
                case .addedNewCA: caRotations += 1
                case .reissuedCertificate: leafRenewals += 1
                case .retiredCA: retirements += 1
                default: break
                }
            }
            #expect(!plan.steps.contains { if case .issuedNewCAAndCertificate = $0 { true } else { false } })
            // Clients that read the old bundle must accept the new certificate; clients with the new bundle must
            // accept the old certificate while a replica may still serve it.
            try CertificateVerifier.verify(leafPEM: plan.files.certificatePEM, bundlePEM: injected,
                                           dnsName: names[0], at: now)
            try CertificateVerifier.verify(leafPEM: plan.files.certificatePEM, bundlePEM: plan.files.caCertificatePEM,
                                           dnsName: names[0], at: now)
            try CertificateVerifier.verify(leafPEM: stored.certificatePEM, bundlePEM: plan.files.caCertificatePEM,
                                           dnsName: names[0], at: now)
            // The served certificate always has at least a third of... well, more than zero time left.
            let leaf = try #require(try CertificateInspector.inspect(pem: plan.files.certificatePEM).first)
            #expect(leaf.secondsRemaining(at: now) >= 4)
            maximumBundle = max(maximumBundle, try CertificateInspector.inspect(pem: plan.files.caCertificatePEM).count)
            stored = plan.files
            injected = stored.caCertificatePEM
        }
        #expect(caRotations >= 8)
        #expect(retirements >= caRotations - 1)
        #expect(leafRenewals >= 30)
        #expect(maximumBundle <= 3)
    }

    /// Rapid CA rotations: each old CA leaves once the certificates it signed have expired, measured from its
    /// own successor's creation, not from the newest CA.
    @Test func eachOldCAIsRetiredAfterItsOwnCertificatesExpired() throws {
        let policy = policy(ca: 3600, cert: 10, overlap: 0)
        let start = UnixTime.now()
        var files = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy, now: start).files
        func step(_ now: Int64, _ request: RotationRequest? = nil) throws -> RotationPlan {
            let plan = try RotationPlanner.plan(current: files, injectedBundles: [files.caCertificatePEM], policy: policy,
                                                now: now, request: request)
            files = plan.files
            return plan
        }
        let first = try #require(try CertificateInspector.inspect(pem: files.caCertificatePEM).first).subject
        #expect(try step(start + 1, .certificateAuthority).honoredRequest)       // CA 2 created at start+1
        _ = try step(start + 3)                                                   // leaf switches to CA 2
        #expect(try step(start + 4, .certificateAuthority).honoredRequest)       // CA 3 created at start+4
        _ = try step(start + 6)                                                   // leaf switches to CA 3
        #expect(try CertificateInspector.inspect(pem: files.caCertificatePEM).count == 3)
        // CA 1 signed nothing after start+1: retired after start+1+10, although CA 3 is only 8 s old.
        let plan = try step(start + 12)
        #expect(plan.steps.contains(.retiredCA(subject: first)))
        let subjects = try CertificateInspector.inspect(pem: files.caCertificatePEM).map(\.subject)
        #expect(subjects.count == 2 && !subjects.contains(first))
        _ = try step(start + 15)
        #expect(try CertificateInspector.inspect(pem: files.caCertificatePEM).count == 1)
    }

    @Test func requestsWaitWhileACARotationIsInProgress() throws {
        let policy = policy(ca: 3600, cert: 60, overlap: 5)
        let start = UnixTime.now()
        var files = try RotationPlanner.plan(current: nil, injectedBundles: [], policy: policy, now: start).files
        let rotation = try RotationPlanner.plan(current: files, injectedBundles: [files.caCertificatePEM], policy: policy,
                                                now: start + 1, request: .certificateAuthority)
        #expect(rotation.honoredRequest)
        files = rotation.files
        for request in [RotationRequest.certificate, .certificateAuthority] {
            let waiting = try RotationPlanner.plan(current: files, injectedBundles: [files.caCertificatePEM],
                                                   policy: policy, now: start + 2, request: request)
            #expect(!waiting.honoredRequest)
            #expect(waiting.steps == [.waitingForBundlePropagation])
        }
    }
}
