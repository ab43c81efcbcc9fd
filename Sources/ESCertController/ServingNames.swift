// The DNS names a webhook Service is reached by.

public enum ServingNames {
    /// `SERVICE.NAMESPACE.svc`, `SERVICE.NAMESPACE.svc.cluster.local`, then `extra` (duplicates removed, order kept).
    public static func dnsNames(serviceName: String, serviceNamespace: String, extra: [String] = []) -> [String] {
        var names: [String] = []
        for name in ["\(serviceName).\(serviceNamespace).svc", "\(serviceName).\(serviceNamespace).svc.cluster.local"] + extra
        where !names.contains(name) {
            names.append(name)
        }
        return names
    }
}
