import ESProviders
import ESRegex

extension AWSError {
    /// The reconciler's view: only `.notFound` may ever delete a Secret.
    var providerError: ProviderError {
        switch kind {
        case .notFound: return .secretDoesNotExist
        case .auth: return .auth(description)
        case .throttled: return .throttled(description)
        case .transient: return .transient(description)
        case .invalid: return .invalid(description)
        }
    }
}

/// Runs an AWS call and converts every failure to a `ProviderError` (cancellation passes through).
func mappingAWSErrors<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as AWSError {
        throw error.providerError
    } catch let error as ProviderError {
        throw error
    } catch is CancellationError {
        throw CancellationError()
    } catch {
        throw ProviderError.transient("\(error)")
    }
}

/// Compiles `find.name.regexp` with upstream's error text.
func compileFindRegex(_ pattern: String?) throws(ProviderError) -> GoRegexMatcher? {
    guard let pattern else { return nil }
    do {
        return GoRegexMatcher(regex: try GoRegex(pattern))
    } catch {
        throw ProviderError.invalid("could not compile find.name.regexp [\(pattern)]: \(error.description)")
    }
}

struct GoRegexMatcher: Sendable {
    let regex: GoRegex
    func matches(_ name: String) -> Bool { regex.matches(name) }
}
