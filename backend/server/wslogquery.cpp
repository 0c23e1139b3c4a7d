#include "wslogquery.h"

#include "wsprotocol.h"

#include "core/dnsname.h"

#include <QSet>

namespace {

const QStringList kParameters{QStringLiteral("namespace"), QStringLiteral("pod"),
                              QStringLiteral("job"),       QStringLiteral("container"),
                              QStringLiteral("tailLines"), QStringLiteral("timestamps"),
                              QStringLiteral("resume"),    QStringLiteral("stream"),
                              QStringLiteral("v")};
constexpr qsizetype kMaxStreamIdLength = 64;

bool parseWhole(const QString &text, qint64 min, qint64 max, qint64 *out)
{
    if (text.isEmpty() || text.size() > 19)
        return false;
    for (const QChar c : text)
        if (c < u'0' || c > u'9')
            return false;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
    return true;
}

// A stream id as the server makes them (WsLogStream::id()): letters and digits; the length
// is bounded so that no client-chosen text of any size is kept.
bool isStreamId(const QString &text)
{
    if (text.isEmpty() || text.size() > kMaxStreamIdLength)
        return false;
    for (const QChar c : text)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
            return false;
    return true;
}

} // namespace

Result<WsLogQuery> WsLogQuery::parse(const QList<QPair<QString, QString>> &items,
                                     const QString &defaultNamespace)
{
    using R = Result<WsLogQuery>;
    WsLogQuery q;
    QSet<QString> seen;
    for (const auto &[key, value] : items) {
        if (!kParameters.contains(key))
            return R::failure(QStringLiteral("unknown parameter '%1'; allowed: %2")
                                  .arg(key.left(40), kParameters.join(QStringLiteral(", "))));
        if (seen.contains(key))
            return R::failure(QStringLiteral("%1 is given more than once").arg(key));
        seen.insert(key);
        if (key == QLatin1String("namespace")) {
            q.namespaceName = value;
        } else if (key == QLatin1String("pod")) {
            q.pod = value;
        } else if (key == QLatin1String("job")) {
            q.job = value;
        } else if (key == QLatin1String("container")) {
            q.container = value;
        } else if (key == QLatin1String("tailLines")) {
            qint64 n = 0;
            if (!parseWhole(value, 1, kMaxTailLines, &n))
                return R::failure(QStringLiteral("tailLines must be a whole number from 1 to %1; "
                                                 "got '%2'")
                                      .arg(kMaxTailLines)
                                      .arg(value.left(40)));
            q.tailLines = int(n);
        } else if (key == QLatin1String("timestamps")) {
            if (value == QLatin1String("true") || value == QLatin1String("1"))
                q.timestamps = true;
            else if (value == QLatin1String("false") || value == QLatin1String("0"))
                q.timestamps = false;
            else
                return R::failure(QStringLiteral("timestamps must be true or false; got '%1'")
                                      .arg(value.left(40)));
        } else if (key == QLatin1String("resume")) {
            if (!parseWhole(value, 0, std::numeric_limits<qint64>::max(), &q.resume))
                return R::failure(QStringLiteral("resume must be the seq of a line (a whole "
                                                 "number from 0); got '%1'")
                                      .arg(value.left(40)));
        } else if (key == QLatin1String("stream")) {
            if (!isStreamId(value))
                return R::failure(QStringLiteral("stream must be the id of a log stream (letters "
                                                 "and digits, at most %1); got '%2'")
                                      .arg(kMaxStreamIdLength)
                                      .arg(value.left(40)));
            q.stream = value;
        } else if (key == QLatin1String("v")) {
            // Read by WsProtocol::of() from the handshake's URL; checked here with the rest.
            const QString error = WsProtocol::valueError(value);
            if (!error.isEmpty())
                return R::failure(error);
        }
    }
    if (!seen.contains(QStringLiteral("namespace")))
        q.namespaceName = defaultNamespace;
    if (q.pod.isEmpty() == q.job.isEmpty())
        return R::failure(QStringLiteral("give exactly one of pod and job"));
    // docs/architecture.md §2: names that go into a URL are validated before any request is built.
    QString error = DnsName::labelError(q.namespaceName, u"namespace");
    if (error.isEmpty() && !q.pod.isEmpty())
        error = DnsName::subdomainError(q.pod, u"pod");
    if (error.isEmpty() && !q.job.isEmpty())
        error = DnsName::subdomainError(q.job, u"job");
    if (error.isEmpty() && seen.contains(QStringLiteral("container")))
        error = DnsName::labelError(q.container, u"container");
    if (!error.isEmpty())
        return R::failure(error);
    return q;
}
