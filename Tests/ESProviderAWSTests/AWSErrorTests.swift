import ESHTTPClient
@testable import ESProviderAWS
import Testing

@Suite("AWS error classification")
struct AWSErrorTests {
    func parse(_ status: Int, _ body: String, headers: [(String, String)] = []) -> AWSError {
        AWSErrorResponse.parse(HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8)), operation: "op")
    }

    @Test func onlyNotFoundCodesAreNotFound() {
        #expect(parse(400, #"{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","message":"nope"}"#).kind == .notFound)
        #expect(parse(400, #"{"__type":"ParameterNotFound","message":""}"#).kind == .notFound)
        #expect(parse(400, #"{"__type":"InvalidRequestException","Message":"You can't perform this operation on the secret because it was marked for deletion."}"#).kind == .notFound)
        #expect(parse(400, #"{"__type":"InvalidRequestException","Message":"something else"}"#).kind == .invalid)
        #expect(parse(400, #"{"__type":"ParameterVersionNotFound","message":"x"}"#).kind == .invalid)
        #expect(parse(404, "").kind == .invalid)
    }

    @Test func authThrottlingAndServerErrors() {
        #expect(parse(400, #"{"__type":"UnrecognizedClientException","message":"bad"}"#).kind == .auth)
        #expect(parse(403, #"{"__type":"AccessDeniedException","Message":"no"}"#).kind == .auth)
        #expect(parse(400, "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>sig &amp; co</Message></Error></ErrorResponse>").kind == .auth)
        let throttled = parse(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
        #expect(throttled.kind == .throttled)
        #expect(throttled.description == "op: ThrottlingException: Rate exceeded")
        #expect(parse(429, "").kind == .throttled)
        #expect(parse(500, #"{"__type":"InternalServiceError"}"#).kind == .transient)
        #expect(parse(503, "<html>").kind == .transient)
        #expect(parse(400, "", headers: [("x-amzn-ErrorType", "ResourceNotFoundException:http://internal")]).kind == .notFound)
        let xml = parse(400, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>a &lt;b&gt; &#x41;</Message></Error></ErrorResponse>")
        #expect(xml.message == "a <b> A")
    }

    @Test func retryDelaysAreBoundedAndJittered() {
        let policy = AWSRetryPolicy(maxRetries: 3, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 3, random: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 10, random: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 3, random: 0) == .zero)
        #expect(AWSRetryPolicy(fixedDelay: .seconds(2)).delay(beforeRetry: 5) == .seconds(2))
    }

    @Test func endpointOverridesFollowPrecedence() {
        let region = "eu-west-1"
        #expect(AWSEndpointResolver(environment: [:]).endpoint(for: .secretsManager, region: region)
                == "https://secretsmanager.eu-west-1.amazonaws.com")
        #expect(AWSEndpointResolver(environment: [:]).endpoint(for: .sts, region: "cn-north-1")
                == "https://sts.cn-north-1.amazonaws.com.cn")
        let env = ["AWS_ENDPOINT_URL": "http://all:1", "AWS_ENDPOINT_URL_SSM": "http://ssm:2",
                   "AWS_STS_ENDPOINT": "http://legacy-sts:3", "AWS_ENDPOINT_URL_STS": "http://sts:4"]
        let resolver = AWSEndpointResolver(environment: env)
        #expect(resolver.endpoint(for: .secretsManager, region: region) == "http://all:1")
        #expect(resolver.endpoint(for: .ssm, region: region) == "http://ssm:2")
        #expect(resolver.endpoint(for: .sts, region: region) == "http://legacy-sts:3")
        #expect(AWSEndpointResolver(environment: ["AWS_SECRETSMANAGER_ENDPOINT": "http://sm:5", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://x"])
                .endpoint(for: .secretsManager, region: region) == "http://sm:5")
    }
}
