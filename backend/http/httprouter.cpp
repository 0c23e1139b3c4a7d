#include "httprouter.h"

#include <QUrl>

namespace pw::http {

QStringList HttpRouter::patternSegments(const QString &pattern)
{
    return pattern.split(u'/', Qt::SkipEmptyParts);
}

void HttpRouter::add(QByteArray method, const QString &pattern, Handler handler)
{
    m_routes.append(Route{std::move(method), pattern, patternSegments(pattern), std::move(handler)});
}

bool HttpRouter::matchSegments(const QStringList &pattern, const QList<QByteArray> &segments,
                               QHash<QString, QString> *params)
{
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &p = pattern[i];
        const bool isParam = p.startsWith(u'{') && p.endsWith(u'}');
        if (isParam && p.endsWith(QStringLiteral("...}"))) {
            if (params) {
                const QByteArrayList rest = segments.mid(i);
                params->insert(p.mid(1, p.size() - 5), QUrl::fromPercentEncoding(rest.join('/')));
            }
            return true;
        }
        if (i >= segments.size())
            return false;
        if (isParam) {
            // Each segment is decoded on its own, so %2F never becomes a path separator.
            const QString value = QUrl::fromPercentEncoding(segments[i]);
            if (value.isEmpty())
                return false;
            if (params)
                params->insert(p.mid(1, p.size() - 2), value);
        } else if (QLatin1StringView(segments[i]) != p) {
            return false;
        }
    }
    return segments.size() == pattern.size();
}

QList<QByteArray> HttpRouter::pathSegments(const QByteArray &rawPath)
{
    QList<QByteArray> segments;
    for (const QByteArray &s : rawPath.split('/'))
        if (!s.isEmpty())
            segments.append(s);
    return segments;
}

bool HttpRouter::matchesSegments(const QStringList &pattern, const QList<QByteArray> &segments)
{
    return matchSegments(pattern, segments, nullptr);
}

HttpRouter::Match HttpRouter::match(HttpRequest &request, const Handler **handler,
                                    QByteArrayList *allowed) const
{
    const QList<QByteArray> segments = pathSegments(request.rawPath);
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    bool pathMatched = false;
    for (const Route &route : m_routes) {
        QHash<QString, QString> params;
        if (!matchSegments(route.segments, segments, &params))
            continue;
        if (route.method == method) {
            request.route = route.pattern;
            request.pathParams = std::move(params);
            *handler = &route.handler;
            return Match::Found;
        }
        pathMatched = true;
        if (allowed && !allowed->contains(route.method))
            allowed->append(route.method);
    }
    return pathMatched ? Match::WrongMethod : Match::NotFound;
}

QList<QPair<QByteArray, QString>> HttpRouter::registrations() const
{
    QList<QPair<QByteArray, QString>> out;
    for (const Route &route : m_routes)
        out.append({route.method, route.pattern});
    return out;
}

} // namespace pw::http
