#include "logquery.h"

#include "core/dnsname.h"
#include "core/resumecursor.h"
#include "core/selectors.h"
#include "core/timeformat.h"
#include "core/wsprotocolname.h"

#include <QSet>

#include <optional>

namespace pw::logs {

namespace {

const QStringList kParameters{QStringLiteral("namespace"), QStringLiteral("pod"),
                              QStringLiteral("job"),       QStringLiteral("container"),
                              QStringLiteral("tailLines"), QStringLiteral("timestamps"),
                              QStringLiteral("resume"),    QStringLiteral("stream"),
                              QStringLiteral("v"),         QStringLiteral("selector"),
                              QStringLiteral("max_pods"),  QStringLiteral("sinceSeconds"),
                              QStringLiteral("sinceTime"), QStringLiteral("previous")};
constexpr qsizetype kMaxSelectorLength = 1024;
constexpr qint64 kMaxSinceSeconds = 10LL * 366 * 24 * 3600;
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

// A stream id as the server makes them (LogFanout::id()): letters and digits; the length
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

std::optional<bool> parseFlag(const QString &value)
{
    if (value == QLatin1String("true") || value == QLatin1String("1"))
        return true;
    if (value == QLatin1String("false") || value == QLatin1String("0"))
        return false;
    return std::nullopt;
}

// POD/CONTAINER:STREAM:SEQ entries, comma-separated: an error naming what is wrong, or empty.
QString parseSourceResumes(const QString &value, QHash<QString, LogQuery::SourceResume> *out)
{
    const QStringList entries = value.split(u',');
    if (entries.size() > LogQuery::kMaxSourceResumes)
        return QStringLiteral("resume names at most %1 sources").arg(LogQuery::kMaxSourceResumes);
    for (const QString &entry : entries) {
        core::ResumeCursor::Source parsed;
        if (!core::ResumeCursor::parseSource(entry,
                                             &parsed) || !core::DnsName::isSubdomain(parsed.pod)
            || !core::DnsName::isLabel(parsed.container) || !isStreamId(parsed.stream))
            return QStringLiteral("resume in a merged stream must be POD/CONTAINER:STREAM:SEQ,… "
                                  "(a stream id from that source's \"stream\" message, the next "
                                  "seq wanted); got '%1'")
                .arg(entry.left(80));
        const QString source = parsed.pod + u'/' + parsed.container;
        if (out->contains(source))
            return QStringLiteral("resume names %1 more than once").arg(source);
        out->insert(source, {parsed.stream, parsed.seq});
    }
    return {};
}

} // namespace

void LogQuery::fixSince(const QDateTime &now)
{
    if (sinceSeconds > 0)
        sinceTime = core::TimeFormat::rfc3339Seconds(now.addSecs(-sinceSeconds));
}

core::Result<LogQuery> LogQuery::parse(const QList<QPair<QString, QString>> &items,
                                     const QString &defaultNamespace)
{
    using R = core::Result<LogQuery>;
    LogQuery q;
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
        } else if (key == QLatin1String("timestamps") || key == QLatin1String("previous")) {
            const std::optional<bool> flag = parseFlag(value);
            if (!flag)
                return R::failure(QStringLiteral("%1 must be true or false; got '%2'")
                                      .arg(key, value.left(40)));
            (key == QLatin1String("previous") ? q.previous : q.timestamps) = *flag;
        } else if (key == QLatin1String("selector")) {
            core::Selector selector;
            QString why;
            if (value.size() > kMaxSelectorLength)
                return R::failure(QStringLiteral("selector must be at most %1 characters")
                                      .arg(kMaxSelectorLength));
            if (value.trimmed().isEmpty() || !selector.parseLabels(value, &why))
                return R::failure(QStringLiteral("selector must be a label selector as for "
                                                 "kubectl -l (app=web,tier in (a,b),!canary); "
                                                 "'%1': %2")
                                      .arg(value.left(80), why.isEmpty() ? QStringLiteral("empty") : why));
            q.selector = value;
        } else if (key == QLatin1String("max_pods")) {
            qint64 n = 0;
            if (!parseWhole(value, 1, kMaxMaxPods, &n))
                return R::failure(QStringLiteral("max_pods must be a whole number from 1 to %1; "
                                                 "got '%2'")
                                      .arg(kMaxMaxPods)
                                      .arg(value.left(40)));
            q.maxPods = int(n);
        } else if (key == QLatin1String("sinceSeconds")) {
            if (!parseWhole(value, 1, kMaxSinceSeconds, &q.sinceSeconds))
                return R::failure(QStringLiteral("sinceSeconds must be a whole number from 1 to "
                                                 "%1; got '%2'")
                                      .arg(kMaxSinceSeconds)
                                      .arg(value.left(40)));
        } else if (key == QLatin1String("sinceTime")) {
            const QDateTime t = core::TimeFormat::parseRfc3339(value);
            if (!t.isValid())
                return R::failure(QStringLiteral("sinceTime must be an RFC 3339 time such as "
                                                 "2026-11-27T10:00:00Z; got '%1'")
                                      .arg(value.left(40)));
            q.sinceTime = core::TimeFormat::rfc3339Seconds(t);
        } else if (key == QLatin1String("resume")) {
            if (value.contains(u'/')) {
                const QString error = parseSourceResumes(value, &q.sourceResumes);
                if (!error.isEmpty())
                    return R::failure(error);
            } else if (!parseWhole(value, 0, std::numeric_limits<qint64>::max(), &q.resume)) {
                return R::failure(QStringLiteral("resume must be the seq of a line (a whole "
                                                 "number from 0), or in a merged stream "
                                                 "POD/CONTAINER:STREAM:SEQ,…; got '%1'")
                                      .arg(value.left(40)));
            }
        } else if (key == QLatin1String("stream")) {
            if (!isStreamId(value))
                return R::failure(QStringLiteral("stream must be the id of a log stream (letters "
                                                 "and digits, at most %1); got '%2'")
                                      .arg(kMaxStreamIdLength)
                                      .arg(value.left(40)));
            q.stream = value;
        } else if (key == QLatin1String("v")) {
            // The protocol version, read by the transport (WsProtocol::of() in the server);
            // checked here with the rest.
            const QString error = core::WsProtocolName::versionError(value);
            if (!error.isEmpty())
                return R::failure(error);
        }
    }
    if (!seen.contains(QStringLiteral("namespace")))
        q.namespaceName = defaultNamespace;
    if (int(!q.pod.isEmpty()) + int(!q.job.isEmpty()) + int(!q.selector.isEmpty()) != 1)
        return R::failure(QStringLiteral("give exactly one of pod, job and selector"));
    if (q.sinceSeconds >= 0 && !q.sinceTime.isEmpty())
        return R::failure(QStringLiteral("give at most one of sinceSeconds and sinceTime"));
    if (seen.contains(QStringLiteral("max_pods")) && !q.merged())
        return R::failure(QStringLiteral("max_pods is read only with selector= or container=*"));
    if (q.resume >= 0 && q.merged())
        return R::failure(QStringLiteral("resume in a merged stream names each source: "
                                         "POD/CONTAINER:STREAM:SEQ,…"));
    if (!q.sourceResumes.isEmpty() && !q.merged())
        return R::failure(QStringLiteral("resume=POD/CONTAINER:STREAM:SEQ is for a merged stream "
                                         "(selector= or container=*); one container takes "
                                         "resume=SEQ&stream=ID"));
    if (!q.selector.isEmpty() && !seen.contains(QStringLiteral("container")))
        q.container = QStringLiteral("*");
    // docs/architecture.md §2: names that go into a URL are validated before any request is built.
    QString error = core::DnsName::labelError(q.namespaceName, u"namespace");
    if (error.isEmpty() && !q.pod.isEmpty())
        error = core::DnsName::subdomainError(q.pod, u"pod");
    if (error.isEmpty() && !q.job.isEmpty())
        error = core::DnsName::subdomainError(q.job, u"job");
    if (error.isEmpty() && seen.contains(QStringLiteral("container")) && !q.allContainers())
        error = core::DnsName::labelError(q.container, u"container");
    if (!error.isEmpty())
        return R::failure(error);
    return q;
}

} // namespace pw::logs
