import Foundation

/// The controller's own identity when a store has no `auth`: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
/// (+ `AWS_SESSION_TOKEN`), else IRSA's `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (token re-read on
/// every refresh). Shared config files and IMDS are not consulted.
public enum EnvironmentCredentials {
    public static func provider(environment: [String: String], sts: @escaping @Sendable (_ region: String) -> STSClient,
                                region: String) throws -> any AWSCredentialsProvider {
        if let keyID = environment["AWS_ACCESS_KEY_ID"], !keyID.isEmpty,
           let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return StaticCredentialsProvider(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token))
        }
        if let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !tokenFile.isEmpty,
           let roleARN = environment["AWS_ROLE_ARN"], !roleARN.isEmpty {
            let sessionName = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "aws-go-sdk-\(UInt64(Date().timeIntervalSince1970 * 1_000_000_000))"
            let client = sts(region)
            return CachingCredentialsProvider {
                let token: String
                do {
                    token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingSpaces()
                } catch {
                    throw AWSError(kind: .auth, code: "", message: "failed to read web identity token file \(tokenFile)",
                                   status: 0, operation: "AssumeRoleWithWebIdentity")
                }
                return try await client.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName,
                                                                  webIdentityToken: token)
            }
        }
        throw AWSError(kind: .auth, code: "", message: "failed to refresh cached credentials, no EC2 IMDS role found",
                       status: 0, operation: "GetCredentials")
    }
}
