#include "optiontable.h"

#include "core/dnsname.h"
#include "core/imagereference.h"
#include "pulls/harbortarget.h"
#include "server/requestpolicy.h"

#include <QHostAddress>

namespace pw::app {

namespace {

QString boolError(const QString &value, bool *out)
{
    const QString v = value.trimmed().toLower();
    if (v == u"1" || v == u"true" || v == u"yes" || v == u"on") {
        *out = true;
        return {};
    }
    if (v == u"0" || v == u"false" || v == u"no" || v == u"off") {
        *out = false;
        return {};
    }
    return QStringLiteral("'%1' is not a boolean; use true or false").arg(value);
}

QString parseListen(AppOptions &o, const QString &value)
{
    const QString help = QStringLiteral("'%1' is not ADDR:PORT (an IP address or localhost, and a "
                                        "port from 0 to 65535, e.g. 127.0.0.1:8080 or [::1]:0)")
                             .arg(value);
    QString host;
    QString port;
    if (value.startsWith(u'[')) {
        const qsizetype close = value.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return help;
        host = value.mid(1, close - 1);
        port = value.mid(close + 2);
    } else {
        const qsizetype colon = value.lastIndexOf(u':');
        if (colon < 0 || value.indexOf(u':') != colon)
            return help;
        host = value.left(colon);
        port = value.mid(colon + 1);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535 || port.startsWith(u'+'))
        return help;
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        return help;
    o.listenAddress = address;
    o.listenPort = quint16(number);
    return {};
}

QString oneOf(const QString &value, const QStringList &allowed, QString *out)
{
    if (!allowed.contains(value))
        return QStringLiteral("'%1' is not one of %2").arg(value, allowed.join(u'|'));
    *out = value;
    return {};
}

QString nonEmpty(const QString &value, QString *out)
{
    if (value.isEmpty())
        return QStringLiteral("must not be empty");
    *out = value;
    return {};
}

// Adds the origins of one value (a comma-separated list) to `out`.
QString originList(const QString &value, QStringList *out)
{
    QStringList origins = *out;
    const QStringList parts = value.split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        QString error;
        const QString origin = server::RequestPolicy::normaliseOrigin(part.trimmed(), &error);
        if (origin.isEmpty())
            return error;
        if (!origins.contains(origin))
            origins << origin;
    }
    if (parts.isEmpty())
        return QStringLiteral("must name at least one origin (scheme://host[:port])");
    *out = origins;
    return {};
}

// An HTTP cookie name (RFC 6265 §4.1.1: a token, no separators).
QString cookieName(const QString &value, QString *out)
{
    static const QString separators = QStringLiteral("()<>@,;:\\\"/[]?={} \t");
    if (value.isEmpty())
        return QStringLiteral("must not be empty");
    for (const QChar c : value)
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || separators.contains(c))
            return QStringLiteral("'%1' is not a cookie name (letters, digits and !#$%&'*+-.^_`|~)")
                .arg(value);
    *out = value;
    return {};
}

QString intIn(const QString &value, int min, int max, int *out)
{
    bool ok = false;
    const int n = value.toInt(&ok);
    if (!ok || n < min || n > max)
        return QStringLiteral("'%1' is not a whole number from %2 to %3").arg(value).arg(min).arg(max);
    *out = n;
    return {};
}

QString imageOption(const QString &value, QString *out)
{
    const auto ref = core::ImageReference::parse(value);
    if (!ref.ok())
        return ref.error();
    *out = value;
    return {};
}

OptionSpec intSpec(const char *name, const char *help, int min, int max,
                   int pulls::PullSettings::*field)
{
    const QString n = QString::fromLatin1(name);
    QString env = QStringLiteral("PULLWATCH_") + n.toUpper().replace(u'-', u'_');
    return OptionSpec{n, QStringLiteral("N"), QString::fromLatin1(help), env,
                [min, max, field](AppOptions &o, const QString &v) { return intIn(v, min, max, &(o.pull.*field)); }};
}

// One of the registry policy's two lists, checked on its own when given.
OptionSpec policyListSpec(const char *name, const char *valueName, const char *help, QString AppOptions::*field)
{
    const QString n = QString::fromLatin1(name);
    const bool allowed = n == u"allowed-registries";
    return OptionSpec{n, QString::fromLatin1(valueName), QString::fromLatin1(help),
                QStringLiteral("PULLWATCH_") + n.toUpper().replace(u'-', u'_'),
                [allowed, field](AppOptions &o, const QString &v) -> QString {
                    const auto policy = allowed ? core::RegistryPolicy::create(v,
                                                                               {}) : core::RegistryPolicy::create({}, v);
                    if (!policy.ok())
                        return policy.error();
                    o.*field = v;
                    return {};
                }};
}

QList<OptionSpec> pullSpecs()
{
    pulls::PullSettings d;
    return {
        {QStringLiteral("harbor-prefix"), QStringLiteral("PREFIX"),
         QStringLiteral("Where images are copied: PREFIX<image as written> by default, see "
                        "--harbor-target-rule (default %1).")
             .arg(d.harborPrefix),
         QStringLiteral("PULLWATCH_HARBOR_PREFIX"),
         [](AppOptions &o, const QString &v) -> QString {
             if (!v.endsWith(u'/'))
                 return QStringLiteral("'%1' must end with '/'").arg(v);
             o.pull.harborPrefix = v;
             return {};
         }},
        {QStringLiteral("harbor-target-rule"), QStringLiteral("RULE"),
         QStringLiteral("as-written: PREFIX<reference as typed>[:latest], as the platform rewrites "
                        "pod images; canonical: PREFIX<registry host>/<path>:<tag>, which no two "
                        "registries share (default as-written)."),
         QStringLiteral("PULLWATCH_HARBOR_TARGET_RULE"),
         [](AppOptions &o, const QString &v) -> QString {
             if (!pulls::HarborTarget::parseRule(v, &o.pull.targetRule))
                 return QStringLiteral("'%1' is not one of as-written|canonical").arg(v);
             return {};
         }},
        policyListSpec("allowed-registries", "LIST",
                       "Source registries a pull may name, comma-separated: host, host:port or "
                       "*.domain (default: any public host).",
                       &AppOptions::allowedRegistries),
        policyListSpec("blocked-networks", "CIDRS",
                       "Source registry addresses refused unless named in --allowed-registries, "
                       "comma-separated; add the cluster's service and pod ranges (default "
                       "RFC 1918 and fc00::/7; loopback and link-local are always refused).",
                       &AppOptions::blockedNetworks),
        {QStringLiteral("crane-image"), QStringLiteral("IMAGE"),
         QStringLiteral("Pinned crane image that copies into Harbor (default %1).").arg(d.craneImage),
         QStringLiteral("PULLWATCH_CRANE_IMAGE"),
         [](AppOptions &o, const QString &v) { return imageOption(v, &o.pull.craneImage); }},
        {QStringLiteral("tools-image"), QStringLiteral("IMAGE"),
         QStringLiteral("Pinned image with a static busybox for the no-op binary (default %1).").arg(d.toolsImage),
         QStringLiteral("PULLWATCH_TOOLS_IMAGE"),
         [](AppOptions &o, const QString &v) { return imageOption(v, &o.pull.toolsImage); }},
        {QStringLiteral("registry-secret"), QStringLiteral("NAME"),
         QStringLiteral("Secret with the registry credentials for the push (default %1).").arg(d.credentialsSecret),
         QStringLiteral("PULLWATCH_REGISTRY_SECRET"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.pull.credentialsSecret); }},
        {QStringLiteral("harbor-insecure"), {},
         QStringLiteral("Let crane reach Harbor over plain HTTP or with an untrusted certificate "
                        "(crane --insecure), as for a Harbor on a NodePort."),
         QStringLiteral("PULLWATCH_HARBOR_INSECURE"),
         [](AppOptions &o, const QString &v) { return boolError(v, &o.pull.harborInsecure); }},
        {QStringLiteral("source-pull-secret"), QStringLiteral("NAME"),
         QStringLiteral("docker-registry Secret the kubelet pulls private source images with "
                        "(imagePullSecrets of the pull pod; default none)."),
         QStringLiteral("PULLWATCH_SOURCE_PULL_SECRET"),
         [](AppOptions &o, const QString &v) -> QString {
             if (const QString e = core::DnsName::subdomainError(v, u"secret name"); !e.isEmpty())
                 return e;
             o.pull.sourcePullSecret = v;
             return {};
         }},
        {QStringLiteral("notify-url"), QStringLiteral("URL"),
         QStringLiteral("POST each finished pull's JSON here (completed, failed, cancelled), "
                        "signed with --notify-secret-file; may be given several times (in the "
                        "environment: separated by spaces)."),
         QStringLiteral("PULLWATCH_NOTIFY_URL"),
         [](AppOptions &o, const QString &v) -> QString {
             const QUrl url(v, QUrl::StrictMode);
             if (!url.userInfo().isEmpty()) // not echoed: it would put a password in a log
                 return QStringLiteral("a URL must not carry a user or password; callbacks are "
                                       "signed with --notify-secret-file");
             if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
                 || url.host().isEmpty())
                 return QStringLiteral("'%1' is not an http:// or https:// URL with a host")
                     .arg(v.left(200));
             o.notifyUrls.append(v);
             return {};
         },
         [](AppOptions &o) { o.notifyUrls.clear(); }},
        {QStringLiteral("notify-secret-file"), QStringLiteral("FILE"),
         QStringLiteral("File whose first line is the key that signs callbacks: "
                        "X-Pullwatch-Signature: sha256=<hex HMAC-SHA256 of the body>."),
         QStringLiteral("PULLWATCH_NOTIFY_SECRET_FILE"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.notifySecretFile); }},
        intSpec("backoff-limit", "Retries of a failed pull pod (0..10, default 2).", 0, 10,
                &pulls::PullSettings::backoffLimit),
        intSpec("job-deadline", "Seconds a pull Job may run (10..86400, default 1800).", 10, 86400,
                &pulls::PullSettings::activeDeadlineSeconds),
        intSpec("job-ttl", "Seconds a finished Job stays in the cluster (0..604800, default 3600).", 0,
                604800, &pulls::PullSettings::ttlSecondsAfterFinished),
        intSpec("pull-backoff-grace", "Seconds in ImagePullBackOff before a pull fails (1..3600, default 90).",
                1, 3600, &pulls::PullSettings::pullBackOffGraceSeconds),
        intSpec("history-limit", "Finished pulls kept (1..100000, default 1000).", 1, 100000,
                &pulls::PullSettings::historyLimit),
    };
}

} // namespace

QString applyOptionLayer(const OptionSpec &spec, AppOptions &o, const QStringList &values)
{
    if (spec.reset)
        spec.reset(o);
    for (const QString &value : values)
        if (const QString error = spec.apply(o, value); !error.isEmpty())
            return error;
    return {};
}

const QList<OptionSpec> &optionTable()
{
    static const QList<OptionSpec> list{
        {QStringLiteral("listen"), QStringLiteral("ADDR:PORT"),
         QStringLiteral("Serve the API and web UI here (default 127.0.0.1:8080; port 0 picks a "
                        "free port). Any address but loopback requires a token."),
         QStringLiteral("PULLWATCH_LISTEN"), parseListen},
        {QStringLiteral("headless"), {},
         QStringLiteral("Run the backend only, without a window; no display is needed."),
         QStringLiteral("PULLWATCH_HEADLESS"),
         [](AppOptions &o, const QString &v) { return boolError(v, &o.headless); }},
        {QStringLiteral("demo"), {},
         QStringLiteral("Use the built-in simulated cluster instead of a kubeconfig."),
         QStringLiteral("PULLWATCH_DEMO"),
         [](AppOptions &o, const QString &v) { return boolError(v, &o.demo); }},
        {QStringLiteral("connect"), QStringLiteral("URL"),
         QStringLiteral("Open the window on a remote Pullwatch (http:// or https://) instead of "
                        "an embedded backend."),
         QStringLiteral("PULLWATCH_CONNECT"),
         [](AppOptions &o, const QString &v) -> QString {
             const QUrl url(v, QUrl::StrictMode);
             if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
                 || url.host().isEmpty())
                 return QStringLiteral("'%1' is not an http:// or https:// URL with a host").arg(v);
             o.connectUrl = url;
             return {};
         }},
        {QStringLiteral("token-file"), QStringLiteral("FILE"),
         QStringLiteral("File with the API token: required by the server beyond loopback, sent "
                        "by --connect. PULLWATCH_TOKEN gives the token itself."),
         QStringLiteral("PULLWATCH_TOKEN_FILE"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.tokenFile); }},
        {QStringLiteral("kubeconfig"), QStringLiteral("FILE"),
         QStringLiteral("kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)."),
         QStringLiteral("PULLWATCH_KUBECONFIG"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.kubeconfig); }},
        {QStringLiteral("context"), QStringLiteral("NAME"),
         QStringLiteral("kubeconfig context (default: its current-context)."),
         QStringLiteral("PULLWATCH_CONTEXT"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.context); }},
        {QStringLiteral("namespace"), QStringLiteral("NS"),
         QStringLiteral("Namespace of the pull Jobs (default: the context's, else default)."),
         QStringLiteral("PULLWATCH_NAMESPACE"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.namespaceName); }},
        {QStringLiteral("redis"), QStringLiteral("URL"),
         QStringLiteral("Redis for the cache and history: redis://[:password@]host:port[/db] "
                        "(default: in-process cache, SQLite history)."),
         QStringLiteral("PULLWATCH_REDIS_URL"),
         [](AppOptions &o, const QString &v) -> QString {
             const QUrl url(v, QUrl::StrictMode);
             if (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty())
                 return QStringLiteral("is not a redis://[:password@]host:port[/db] URL");
             o.redisUrl = v;
             return {};
         }},
        {QStringLiteral("data-dir"), QStringLiteral("DIR"),
         QStringLiteral("Where history and a generated token are kept (default: %1).")
             .arg(Options::defaultDataDir()),
         QStringLiteral("PULLWATCH_DATA_DIR"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.dataDir); }},
        {QStringLiteral("tls-cert"), QStringLiteral("FILE"),
         QStringLiteral("Serve HTTPS with this PEM certificate (chain); needs --tls-key."),
         QStringLiteral("PULLWATCH_TLS_CERT"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.tlsCert); }},
        {QStringLiteral("tls-key"), QStringLiteral("FILE"),
         QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("PULLWATCH_TLS_KEY"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.tlsKey); }},
        {QStringLiteral("jwt-secret-file"), QStringLiteral("FILE"),
         QStringLiteral("Accept JWTs signed with this shared secret (HS256, HS384, HS512), as "
                        "the platform issues them; authentication is then required on loopback "
                        "too."),
         QStringLiteral("PULLWATCH_JWT_SECRET_FILE"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.jwtSecretFile); }},
        {QStringLiteral("jwt-public-key"), QStringLiteral("FILE"),
         QStringLiteral("Accept JWTs signed with the key of this PEM public key (RSA: RS256, "
                        "RS384, RS512; EC: ES256, ES384, ES512), as identity providers issue "
                        "them."),
         QStringLiteral("PULLWATCH_JWT_PUBLIC_KEY"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.jwtPublicKey); }},
        {QStringLiteral("jwt-issuer"), QStringLiteral("ISSUER"),
         QStringLiteral("Accept only JWTs whose iss claim is ISSUER."),
         QStringLiteral("PULLWATCH_JWT_ISSUER"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.jwtIssuer); }},
        {QStringLiteral("jwt-audience"), QStringLiteral("AUDIENCE"),
         QStringLiteral("Accept only JWTs whose aud claim names AUDIENCE."),
         QStringLiteral("PULLWATCH_JWT_AUDIENCE"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.jwtAudience); }},
        {QStringLiteral("jwt-operator-claim"), QStringLiteral("CLAIM"),
         QStringLiteral("A JWT whose claim CLAIM is true has the operator role (start, retry, "
                        "cancel); others are viewers (default is_super_admin)."),
         QStringLiteral("PULLWATCH_JWT_OPERATOR_CLAIM"),
         [](AppOptions &o, const QString &v) { return nonEmpty(v, &o.jwtOperatorClaim); }},
        {QStringLiteral("jwt-cookie"), QStringLiteral("NAME"),
         QStringLiteral("Cookie that may carry the JWT instead of Authorization: Bearer "
                        "(default token)."),
         QStringLiteral("PULLWATCH_JWT_COOKIE"),
         [](AppOptions &o, const QString &v) { return cookieName(v, &o.jwtCookie); }},
        {QStringLiteral("allowed-origin"), QStringLiteral("ORIGIN"),
         QStringLiteral("A web origin (scheme://host[:port]) trusted like Pullwatch's own: it may "
                        "open WebSockets and change state, and gets CORS answers. Repeatable; "
                        "in the environment and file, a comma-separated list."),
         QStringLiteral("PULLWATCH_ALLOWED_ORIGIN"),
         [](AppOptions &o, const QString &v) { return originList(v, &o.allowedOrigins); },
         [](AppOptions &o) { o.allowedOrigins.clear(); }},
        {QStringLiteral("log-level"), QStringLiteral("LEVEL"),
         QStringLiteral("debug, info, warning or error (default info)."),
         QStringLiteral("PULLWATCH_LOG_LEVEL"),
         [](AppOptions &o, const QString &v) {
             return oneOf(v, {QStringLiteral("debug"), QStringLiteral("info"),
                              QStringLiteral("warning"), QStringLiteral("error")},
                          &o.logLevel);
         }},
        {QStringLiteral("log-format"), QStringLiteral("FORMAT"),
         QStringLiteral("text, or json for one JSON object a line (default text)."),
         QStringLiteral("PULLWATCH_LOG_FORMAT"),
         [](AppOptions &o, const QString &v) {
             return oneOf(v, {QStringLiteral("text"), QStringLiteral("json")}, &o.logFormat);
         }},
    };
    static const QList<OptionSpec> all = list + pullSpecs();
    return all;
}

} // namespace pw::app
