#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

// Every manifest in installer/kubernetes parses, has a known kind and API version,
// is reached by a kustomization, and deploys Pullwatch as docs/architecture.md §2 and §6 require:
// the minimal Role, probes, a locked-down security context and pinned images.
class TestInstallerManifests : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void kindsAndApiVersions();
    void kustomizationsListEveryFile();
    void everyObjectIsPartOfPullwatch();
    void roleIsExactlyDesignRbac();
    void namespacePodSecurity();
    void roleBindingBindsTheServiceAccount();
    void pullwatchDeployment();
    void everyPodIsLockedDown();
    void everyImageIsPinned();
    void servicesSelectPods();

private:
    struct Doc {
        QString file;
        YAML::Node node;
        std::string kind() const { return node["kind"].as<std::string>(""); }
        std::string name() const { return node["metadata"]["name"].as<std::string>(""); }
    };
    std::vector<Doc> ofKind(const std::string &kind) const;
    const Doc *find(const std::string &kind, const std::string &name) const;
    static std::vector<YAML::Node> podSpecs(const Doc &doc);

    QString m_dir;
    std::vector<Doc> m_docs;
};

static QString where(const QString &file, const std::string &what) {
    return file + QStringLiteral(": ") + QString::fromStdString(what);
}

void TestInstallerManifests::initTestCase() {
    m_dir = QStringLiteral(PULLWATCH_SOURCE_DIR "/installer/kubernetes");
    QDirIterator it(m_dir, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        try {
            for (const YAML::Node &node : YAML::LoadAllFromFile(path.toStdString())) {
                if (node.IsNull())
                    continue;
                QVERIFY2(node.IsMap(),
                         qPrintable(path + QStringLiteral(": a document is not a mapping")));
                m_docs.push_back({QDir(m_dir).relativeFilePath(path), node});
            }
        } catch (const YAML::Exception &e) {
            QFAIL(qPrintable(path + QStringLiteral(": ") + QString::fromStdString(e.what())));
        }
    }
    QVERIFY2(m_docs.size() >= 10, qPrintable(QString::number(m_docs.size())));
}

std::vector<TestInstallerManifests::Doc>
TestInstallerManifests::ofKind(const std::string &kind) const {
    std::vector<Doc> out;
    for (const Doc &d : m_docs)
        if (d.kind() == kind)
            out.push_back(d);
    return out;
}

const TestInstallerManifests::Doc *TestInstallerManifests::find(const std::string &kind,
                                                                const std::string &name) const {
    for (const Doc &d : m_docs)
        if (d.kind() == kind && d.name() == name)
            return &d;
    return nullptr;
}

std::vector<YAML::Node> TestInstallerManifests::podSpecs(const Doc &doc) {
    const std::string kind = doc.kind();
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "Job")
        return {doc.node["spec"]["template"]["spec"]};
    if (kind == "Pod")
        return {doc.node["spec"]};
    return {};
}

void TestInstallerManifests::kindsAndApiVersions() {
    const std::map<std::string, std::string> apiVersionOf{
        {"Namespace", "v1"},
        {"ServiceAccount", "v1"},
        {"Service", "v1"},
        {"PersistentVolumeClaim", "v1"},
        {"Role", "rbac.authorization.k8s.io/v1"},
        {"RoleBinding", "rbac.authorization.k8s.io/v1"},
        {"Deployment", "apps/v1"},
        {"NetworkPolicy", "networking.k8s.io/v1"},
        {"Kustomization", "kustomize.config.k8s.io/v1beta1"},
    };
    std::set<std::string> seen;
    for (const Doc &d : m_docs) {
        const auto known = apiVersionOf.find(d.kind());
        QVERIFY2(known != apiVersionOf.end(),
                 qPrintable(where(d.file, "unexpected kind '" + d.kind() + "'")));
        QCOMPARE(d.node["apiVersion"].as<std::string>(""), known->second);
        seen.insert(d.kind());
        if (d.kind() == "Kustomization")
            continue;
        QVERIFY2(!d.name().empty(), qPrintable(where(d.file, d.kind() + " without metadata.name")));
        if (d.kind() != "Namespace")
            QVERIFY2(d.node["metadata"]["namespace"].as<std::string>("") == "pullwatch",
                     qPrintable(where(d.file, d.kind() + " " + d.name() +
                                                  " is not in namespace pullwatch")));
    }
    for (const char *required : {"ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"})
        QVERIFY2(seen.count(required), required);
}

void TestInstallerManifests::kustomizationsListEveryFile() {
    QSet<QString> listed;
    QSet<QString> kustomizations;
    for (const Doc &d : ofKind("Kustomization")) {
        kustomizations.insert(d.file);
        const QString base = QFileInfo(d.file).path();
        for (const YAML::Node &r : d.node["resources"]) {
            const QString rel =
                QDir::cleanPath(base + u'/' + QString::fromStdString(r.as<std::string>()));
            QVERIFY2(QFileInfo::exists(m_dir + u'/' + rel),
                     qPrintable(where(d.file, "lists a missing " + rel.toStdString())));
            listed.insert(rel);
        }
        QCOMPARE(d.node["namespace"].as<std::string>(""), std::string("pullwatch"));
    }
    for (const Doc &d : m_docs)
        if (!kustomizations.contains(d.file))
            QVERIFY2(listed.contains(d.file),
                     qPrintable(d.file + QStringLiteral(" is in no kustomization")));
}

// Every object says it is part of Pullwatch (`kubectl get all -l app.kubernetes.io/part-of=
// pullwatch`). The label is written in each object rather than added by kustomize's `labels`
// field, which kubectl before 1.21 (Debian 12's kubernetes-client is 1.20) does not know.
void TestInstallerManifests::everyObjectIsPartOfPullwatch() {
    for (const Doc &d : m_docs) {
        if (d.kind() == "Kustomization") {
            QVERIFY2(!d.node["labels"], qPrintable(where(d.file, "uses kustomize's labels field")));
            continue;
        }
        QVERIFY2(d.node["metadata"]["labels"]["app.kubernetes.io/part-of"].as<std::string>("") ==
                     "pullwatch",
                 qPrintable(where(d.file, d.kind() + " " + d.name() +
                                              " lacks app.kubernetes.io/part-of: pullwatch")));
    }
}

// docs/architecture.md §2, "Minimal RBAC (shipped in installer/kubernetes/): jobs get/list/watch/
// create/delete, pods get/list/watch, pods/log get, events get/list/watch." Exactly these
// (API group, resource, verb) triples: nothing missing, nothing more.
void TestInstallerManifests::roleIsExactlyDesignRbac() {
    using Grant = std::tuple<std::string, std::string, std::string>;
    std::set<Grant> expected;
    for (const char *verb : {"get", "list", "watch", "create", "delete"})
        expected.insert({"batch", "jobs", verb});
    for (const char *verb : {"get", "list", "watch"})
        expected.insert({"", "pods", verb});
    expected.insert({"", "pods/log", "get"});
    for (const char *verb : {"get", "list", "watch"})
        expected.insert({"", "events", verb});

    QCOMPARE(ofKind("Role").size(), size_t(1));
    QVERIFY2(ofKind("ClusterRole").empty() && ofKind("ClusterRoleBinding").empty(),
             "cluster-wide RBAC is more than §2 allows");
    const Doc role = ofKind("Role").front();
    std::set<Grant> granted;
    for (const YAML::Node &rule : role.node["rules"]) {
        QVERIFY2(!rule["resourceNames"] && !rule["nonResourceURLs"], "unexpected rule fields");
        for (const YAML::Node &group : rule["apiGroups"])
            for (const YAML::Node &resource : rule["resources"])
                for (const YAML::Node &verb : rule["verbs"]) {
                    const Grant g{group.as<std::string>(), resource.as<std::string>(),
                                  verb.as<std::string>()};
                    QVERIFY2(std::get<0>(g) != "*" && std::get<1>(g) != "*" &&
                                 std::get<2>(g) != "*",
                             "wildcards in the Role");
                    QVERIFY2(granted.insert(g).second,
                             qPrintable(QString::fromStdString("granted twice: " + std::get<1>(g) +
                                                               " " + std::get<2>(g))));
                }
    }
    for (const Grant &g : expected)
        QVERIFY2(granted.count(g), qPrintable(QString::fromStdString("missing: " + std::get<1>(g) +
                                                                     " " + std::get<2>(g))));
    for (const Grant &g : granted)
        QVERIFY2(expected.count(g),
                 qPrintable(QString::fromStdString("more than §2: " + std::get<0>(g) + "/" +
                                                   std::get<1>(g) + " " + std::get<2>(g))));
}

// The pull Jobs run in Pullwatch's namespace: its Pod Security level must admit them
// (baseline: PullManifest sets no seccomp profile or capability drop), and warn below
// restricted.
void TestInstallerManifests::namespacePodSecurity() {
    const Doc *ns = find("Namespace", "pullwatch");
    QVERIFY(ns);
    const YAML::Node labels = ns->node["metadata"]["labels"];
    QCOMPARE(labels["pod-security.kubernetes.io/enforce"].as<std::string>(""),
             std::string("baseline"));
    QCOMPARE(labels["pod-security.kubernetes.io/warn"].as<std::string>(""),
             std::string("restricted"));
}

void TestInstallerManifests::roleBindingBindsTheServiceAccount() {
    QCOMPARE(ofKind("RoleBinding").size(), size_t(1));
    const Doc binding = ofKind("RoleBinding").front();
    const YAML::Node ref = binding.node["roleRef"];
    QCOMPARE(ref["kind"].as<std::string>(""), std::string("Role"));
    QCOMPARE(ref["apiGroup"].as<std::string>(""), std::string("rbac.authorization.k8s.io"));
    QVERIFY(find("Role", ref["name"].as<std::string>("")));
    QCOMPARE(binding.node["subjects"].size(), size_t(1));
    const YAML::Node subject = binding.node["subjects"][0];
    QCOMPARE(subject["kind"].as<std::string>(""), std::string("ServiceAccount"));
    QVERIFY(find("ServiceAccount", subject["name"].as<std::string>("")));
    QCOMPARE(subject["namespace"].as<std::string>(""),
             binding.node["metadata"]["namespace"].as<std::string>(""));
}

void TestInstallerManifests::pullwatchDeployment() {
    const Doc *d = find("Deployment", "pullwatch");
    QVERIFY(d);
    const YAML::Node pod = d->node["spec"]["template"]["spec"];
    const YAML::Node sa = pod["serviceAccountName"];
    QVERIFY(sa && find("ServiceAccount", sa.as<std::string>()));
    QVERIFY2(pod["automountServiceAccountToken"].as<bool>(true),
             "in-cluster config needs the token");
    const YAML::Node c = pod["containers"][0];
    QCOMPARE(c["name"].as<std::string>(""), std::string("pullwatch"));

    // Headless on 0.0.0.0:8080 (so a token is required), data dir on an emptyDir.
    std::vector<std::string> args;
    for (const YAML::Node &a : c["args"])
        args.push_back(a.as<std::string>());
    auto hasArg = [&](const std::string &a) {
        return std::find(args.begin(), args.end(), a) != args.end();
    };
    QVERIFY(hasArg("--headless"));
    QVERIFY(hasArg("--listen=0.0.0.0:8080"));
    QVERIFY(hasArg("--data-dir=/var/lib/pullwatch"));
    QCOMPARE(c["ports"][0]["containerPort"].as<int>(0), 8080);
    QCOMPARE(c["ports"][0]["name"].as<std::string>(""), std::string("http"));

    std::map<std::string, YAML::Node> env;
    for (const YAML::Node &e : c["env"])
        env[e["name"].as<std::string>()] = e;
    QVERIFY2(env.count("PULLWATCH_TOKEN"), "no token");
    const YAML::Node token = env["PULLWATCH_TOKEN"]["valueFrom"]["secretKeyRef"];
    QVERIFY2(token && !token["optional"].as<bool>(false),
             "the token must come from a required Secret");
    QVERIFY2(!env["PULLWATCH_TOKEN"]["value"], "the token must not be written in the manifest");
    const YAML::Node redis = env["PULLWATCH_REDIS_URL"]["valueFrom"]["secretKeyRef"];
    QVERIFY2(redis && redis["optional"].as<bool>(false), "PULLWATCH_REDIS_URL: an optional Secret");
    QCOMPARE(env["PULLWATCH_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>(""),
             std::string("metadata.namespace"));
    QVERIFY2(!env.count("KUBERNETES_SERVICE_HOST") && !env.count("PULLWATCH_KUBECONFIG"),
             "the in-cluster configuration comes from the kubelet");

    // Probes: readiness on /readyz, liveness on /healthz, at the http port.
    QCOMPARE(c["readinessProbe"]["httpGet"]["path"].as<std::string>(""), std::string("/readyz"));
    QCOMPARE(c["readinessProbe"]["httpGet"]["port"].as<std::string>(""), std::string("http"));
    QCOMPARE(c["livenessProbe"]["httpGet"]["path"].as<std::string>(""), std::string("/healthz"));
    QCOMPARE(c["livenessProbe"]["httpGet"]["port"].as<std::string>(""), std::string("http"));

    // Writable places are volumes: the data dir and /tmp.
    std::map<std::string, std::string> mounts;
    for (const YAML::Node &m : c["volumeMounts"])
        mounts[m["mountPath"].as<std::string>()] = m["name"].as<std::string>();
    QVERIFY(mounts.count("/var/lib/pullwatch") && mounts.count("/tmp"));
    for (const YAML::Node &v : pod["volumes"])
        if (v["name"].as<std::string>() == mounts["/var/lib/pullwatch"])
            QVERIFY2(v["emptyDir"], "the data dir is an emptyDir");

    // The image's tag is this release.
    QCOMPARE(c["image"].as<std::string>(""),
             std::string("ghcr.io/pullwatch/pullwatch:" PULLWATCH_VERSION));
}

void TestInstallerManifests::everyPodIsLockedDown() {
    int pods = 0;
    for (const Doc &d : m_docs) {
        for (const YAML::Node &pod : podSpecs(d)) {
            ++pods;
            const QString what = d.file + u' ' + QString::fromStdString(d.name());
            const YAML::Node psc = pod["securityContext"];
            QVERIFY2(psc["runAsNonRoot"].as<bool>(false),
                     qPrintable(what + QStringLiteral(": runAsNonRoot")));
            QVERIFY2(psc["runAsUser"].as<int>(0) > 0,
                     qPrintable(what + QStringLiteral(": runAsUser")));
            QCOMPARE(psc["seccompProfile"]["type"].as<std::string>(""),
                     std::string("RuntimeDefault"));
            QVERIFY2(!pod["hostNetwork"].as<bool>(false) && !pod["hostPID"].as<bool>(false),
                     qPrintable(what));
            if (!pod["serviceAccountName"])
                QVERIFY2(!pod["automountServiceAccountToken"].as<bool>(true),
                         qPrintable(what + QStringLiteral(": no API access, so no token mounted")));
            for (const YAML::Node &c : pod["containers"]) {
                const YAML::Node sc = c["securityContext"];
                QVERIFY2(sc["allowPrivilegeEscalation"].IsDefined() &&
                             !sc["allowPrivilegeEscalation"].as<bool>(true),
                         qPrintable(what + QStringLiteral(": allowPrivilegeEscalation: false")));
                QVERIFY2(sc["readOnlyRootFilesystem"].as<bool>(false),
                         qPrintable(what + QStringLiteral(": readOnlyRootFilesystem")));
                QVERIFY2(!sc["privileged"].as<bool>(false), qPrintable(what));
                bool dropsAll = false;
                for (const YAML::Node &cap : sc["capabilities"]["drop"])
                    dropsAll = dropsAll || cap.as<std::string>() == "ALL";
                QVERIFY2(dropsAll, qPrintable(what + QStringLiteral(": capabilities drop ALL")));
                QVERIFY2(!sc["capabilities"]["add"],
                         qPrintable(what + QStringLiteral(": adds capabilities")));
                for (const char *kind : {"requests", "limits"})
                    for (const char *resource : {"cpu", "memory"})
                        QVERIFY2(c["resources"][kind][resource],
                                 qPrintable(what + QStringLiteral(": resources.%1.%2")
                                                       .arg(QLatin1String(kind),
                                                            QLatin1String(resource))));
                QVERIFY2(c["readinessProbe"] && c["livenessProbe"],
                         qPrintable(what + QStringLiteral(": probes")));
            }
        }
    }
    QCOMPARE(pods, 2); // pullwatch, and the optional Redis
}

// Pinned: an explicit registry and a version tag (or a digest), never latest or a bare name.
void TestInstallerManifests::everyImageIsPinned() {
    static const QRegularExpression pinned(
        QStringLiteral("^[a-z0-9.-]+\\.[a-z]+(?::[0-9]+)?/[a-z0-9._/"
                       "-]+(?::v?[0-9]+\\.[0-9]+[A-Za-z0-9._-]*)?(?:@sha256:[0-9a-f]{64})?$"));
    int images = 0;
    for (const Doc &d : m_docs)
        for (const YAML::Node &pod : podSpecs(d))
            for (const char *list : {"initContainers", "containers"})
                for (const YAML::Node &c : pod[list]) {
                    const QString image = QString::fromStdString(c["image"].as<std::string>(""));
                    ++images;
                    QVERIFY2(
                        pinned.match(image).hasMatch() &&
                            (image.contains(u'@') || image.lastIndexOf(u':') > image.indexOf(u'/')),
                        qPrintable(image +
                                   QStringLiteral(" is not pinned (registry/repository:version)")));
                    QVERIFY2(
                        c["imagePullPolicy"].as<std::string>("") == "IfNotPresent",
                        qPrintable(image + QStringLiteral(
                                               ": imagePullPolicy IfNotPresent for a pinned tag")));
                }
    QCOMPARE(images, 2);
}

void TestInstallerManifests::servicesSelectPods() {
    for (const Doc &svc : ofKind("Service")) {
        const YAML::Node selector = svc.node["spec"]["selector"];
        QVERIFY(selector.IsMap() && selector.size() > 0);
        bool matched = false;
        for (const Doc &d : ofKind("Deployment")) {
            const YAML::Node labels = d.node["spec"]["template"]["metadata"]["labels"];
            bool all = true;
            for (const auto &kv : selector)
                all = all && labels[kv.first.as<std::string>()].as<std::string>("") ==
                                 kv.second.as<std::string>();
            if (!all)
                continue;
            matched = true;
            // The selector of the Deployment selects its own pods too.
            for (const auto &kv : d.node["spec"]["selector"]["matchLabels"])
                QCOMPARE(labels[kv.first.as<std::string>()].as<std::string>(""),
                         kv.second.as<std::string>());
            // targetPort names a port of the container.
            for (const YAML::Node &port : svc.node["spec"]["ports"]) {
                const std::string target = port["targetPort"].as<std::string>();
                bool named = false;
                for (const YAML::Node &p :
                     d.node["spec"]["template"]["spec"]["containers"][0]["ports"])
                    named = named || p["name"].as<std::string>("") == target;
                QVERIFY2(named, qPrintable(where(svc.file, "targetPort " + target +
                                                               " is no container port")));
            }
        }
        QVERIFY2(matched, qPrintable(where(svc.file, "Service " + svc.name() +
                                                         " selects no Deployment's pods")));
    }
}

QTEST_GUILESS_MAIN(TestInstallerManifests)
#include "tst_installer_manifests.moc"
