#!/usr/bin/env python3
"""Drives the reconciler scale benchmark against a running test API server and controller.

Phase `create` (default): creates one `fake` SecretStore and N ExternalSecrets in namespace `bench`,
then polls until every ExternalSecret is Ready=True. Prints one JSON object: seconds to all Ready,
provider calls made (from the controller's /metrics), and the controller's peak RSS (VmHWM of
--controller-pid) with the RssAnon/RssFile split sampled at the highest RSS seen.

Phase `restart`: run against a fresh controller started on the populated cluster; waits until it has
reconciled every ExternalSecret once (one `externalsecret_sync_calls_total` series each) and reports
the time, its peak RSS, and how many ExternalSecrets and Secrets it rewrote (none should change).
"""
import argparse, base64, http.client, json, re, ssl, sys, tempfile, threading, time


def kubeconfig(path):
    text = open(path).read()
    server = re.search(r"server:\s*(\S+)", text).group(1).strip('"')
    ca = base64.b64decode(re.search(r"certificate-authority-data:\s*(\S+)", text).group(1).strip('"'))
    token = re.search(r"token:\s*(\S+)", text).group(1).strip('"')
    return server, ca, token


class Client:
    def __init__(self, server, ca, token):
        host, port = server.replace("https://", "").rsplit(":", 1)
        self.host, self.port, self.token = host, int(port), token
        f = tempfile.NamedTemporaryFile(delete=False, suffix=".crt")
        f.write(ca)
        f.close()
        self.ctx = ssl.create_default_context(cafile=f.name)
        self.local = threading.local()

    def conn(self):
        c = getattr(self.local, "c", None)
        if c is None:
            c = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=60)
            self.local.c = c
        return c

    def request(self, method, path, body=None):
        for attempt in range(5):
            try:
                c = self.conn()
                c.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
                r = c.getresponse()
                data = r.read()
                return r.status, (json.loads(data) if data else None)
            except (ConnectionError, http.client.HTTPException, OSError):
                self.local.c = None
                time.sleep(0.1 * (attempt + 1))
        raise RuntimeError("request failed: %s %s" % (method, path))


def ready(obj):
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def metric_sum(metrics_url, prefix, contains=""):
    host, port = metrics_url.rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(prefix) and contains in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def metric_series(metrics_url, prefix):
    """How many series of the family `prefix` the controller exports."""
    host, port = metrics_url.rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request("GET", "/metrics")
    return sum(1 for line in c.getresponse().read().decode().splitlines() if line.startswith(prefix + "{"))


def resource_versions(client, path):
    status, lst = client.request("GET", path)
    return {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in (lst or {}).get("items", [])}


def provider_calls(metrics_url):
    return metric_sum(metrics_url, "externalsecret_provider_api_calls_count")


def rss_kib(pid, field="VmHWM:"):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(field):
            return int(line.split()[1])
    return -1


def memory_kib(pid):
    """VmRSS, RssAnon and RssFile of `pid` in KiB (zeros once the process is gone)."""
    out = {"VmRSS": 0, "RssAnon": 0, "RssFile": 0}
    try:
        for line in open("/proc/%d/status" % pid):
            name = line.split(":", 1)[0]
            if name in out:
                out[name] = int(line.split()[1])
    except OSError:
        pass
    return out


class PeakSampler(threading.Thread):
    """Samples the controller's memory every 100 ms: the RssAnon/RssFile split at the RSS peak."""
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, {"VmRSS": 0, "RssAnon": 0, "RssFile": 0}, True

    def run(self):
        while self.running:
            sample = memory_kib(self.pid)
            if sample["VmRSS"] > self.peak["VmRSS"]:
                self.peak = sample
            time.sleep(0.1)


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / 100.0, 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--keys", type=int, default=10)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--metrics", required=True, help="host:port of the controller metrics listener")
    p.add_argument("--controller-pid", type=int, required=True)
    p.add_argument("--apiserver-pid", type=int)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--phase", choices=["create", "snapshot", "restart"], default="create")
    p.add_argument("--snapshot", help="file of resourceVersions taken before the restart (--phase snapshot writes it)")
    p.add_argument("--started-at", type=float, help="epoch seconds the restarted controller was started")
    a = p.parse_args()

    client = Client(*kubeconfig(a.kubeconfig))
    if a.phase == "snapshot":
        base = "/apis/external-secrets.io/v1/namespaces/bench"
        json.dump({"externalSecrets": resource_versions(client, base + "/externalsecrets"),
                   "secrets": resource_versions(client, "/api/v1/namespaces/bench/secrets")}, open(a.snapshot, "w"))
        return
    sampler = PeakSampler(a.controller_pid)
    sampler.start()
    if a.phase == "restart":
        restart(a, client, sampler)
        return
    client.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}})
    base = "/apis/external-secrets.io/v1/namespaces/bench"
    client.request("POST", base + "/secretstores", {
        "apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": {"name": "fake", "namespace": "bench"},
        "spec": {"provider": {"fake": {"data": [{"key": "key-%d" % i, "value": "value-%d" % i} for i in range(a.keys)]}}}})
    deadline = time.time() + 60
    while time.time() < deadline:
        status, store = client.request("GET", base + "/secretstores/fake")
        if status == 200 and ready(store):
            break
        time.sleep(0.1)
    else:
        sys.exit("store never became Ready")

    start = time.time()
    def create(offset):
        for i in range(offset, a.count, a.threads):
            status, body = client.request("POST", base + "/externalsecrets", {
                "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                "metadata": {"name": "es-%d" % i, "namespace": "bench"},
                "spec": {"secretStoreRef": {"name": "fake", "kind": "SecretStore"}, "refreshInterval": "1h",
                         "data": [{"secretKey": "value", "remoteRef": {"key": "key-%d" % (i % a.keys)}}]}})
            if status != 201:
                sys.exit("create es-%d: %s %s" % (i, status, body))
    threads = [threading.Thread(target=create, args=(t,)) for t in range(a.threads)]
    for t in threads: t.start()
    for t in threads: t.join()
    created = time.time() - start

    # Cheap progress signal: the controller's Ready=True gauges; then one list confirms the statuses.
    ready_count = 0
    while time.time() - start < a.timeout:
        if metric_sum(a.metrics, "externalsecret_status_condition", 'status="True"') >= a.count:
            status, lst = client.request("GET", base + "/externalsecrets")
            ready_count = sum(1 for o in lst.get("items", []) if ready(o))
            if ready_count >= a.count:
                break
        time.sleep(1.0)
    elapsed = time.time() - start
    sampler.running = False
    end = memory_kib(a.controller_pid)
    print(json.dumps({"externalSecrets": a.count, "allReady": ready_count >= a.count, "ready": ready_count,
                      "secondsToCreate": round(created, 2), "secondsToAllReady": round(elapsed, 2),
                      "providerCalls": provider_calls(a.metrics),
                      "controllerPeakRSSMiB": round(rss_kib(a.controller_pid) / 1024, 1),
                      "controllerSampledPeak": {k: round(v / 1024, 1) for k, v in sampler.peak.items()},
                      "controllerRSSAtEndMiB": round(end["VmRSS"] / 1024, 1),
                      "controllerAnonAtEndMiB": round(end["RssAnon"] / 1024, 1),
                      "controllerFileAtEndMiB": round(end["RssFile"] / 1024, 1),
                      "controllerCPUSeconds": cpu_seconds(a.controller_pid),
                      "apiserverCPUSeconds": cpu_seconds(a.apiserver_pid) if a.apiserver_pid else None}))


def restart(a, client, sampler):
    base = "/apis/external-secrets.io/v1/namespaces/bench"
    before = json.load(open(a.snapshot))
    before_es, before_secrets = before["externalSecrets"], before["secrets"]
    start = a.started_at or time.time()
    seen = 0
    while time.time() - start < a.timeout:
        seen = metric_series(a.metrics, "externalsecret_sync_calls_total")
        if seen >= a.count:
            break
        time.sleep(0.5)
    elapsed = time.time() - start
    time.sleep(2)  # writes of the last reconciles land
    sampler.running = False
    after_es = resource_versions(client, base + "/externalsecrets")
    after_secrets = resource_versions(client, "/api/v1/namespaces/bench/secrets")
    print(json.dumps({"phase": "restart", "externalSecrets": a.count, "reconciledOnce": seen,
                      "secondsToReconcileAll": round(elapsed, 2),
                      "externalSecretsRewritten": sum(1 for k, v in after_es.items() if before_es.get(k) != v),
                      "secretsRewritten": sum(1 for k, v in after_secrets.items() if before_secrets.get(k) != v),
                      "providerCalls": provider_calls(a.metrics),
                      "controllerPeakRSSMiB": round(rss_kib(a.controller_pid) / 1024, 1),
                      "controllerSampledPeak": {k: round(v / 1024, 1) for k, v in sampler.peak.items()},
                      "controllerCPUSeconds": cpu_seconds(a.controller_pid)}))


if __name__ == "__main__":
    main()
