#pragma once

#include "httprequest.h"
#include "httpresponder.h"

#include <QByteArrayList>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace pw::http {

// Routes by method and path pattern. A pattern is a path whose segments may be
// `{name}` (one decoded segment) or, last, `{name...}` (the rest of the path).
class HttpRouter
{
public:
    using Handler = std::function<void(const HttpRequest &, HttpResponder)>;

    enum class Match { Found, WrongMethod, NotFound };

    void add(QByteArray method, const QString &pattern, Handler handler);

    // Finds the handler for `request` and fills its route and path parameters. For
    // WrongMethod, `allowed` lists the methods the path accepts.
    Match match(HttpRequest &request, const Handler **handler, QByteArrayList *allowed) const;

    // Whether a path (still percent-encoded) matches a pattern, as match() decides, in parts
    // for matching one path against many patterns: each pattern split once
    // (patternSegments), the path split once (pathSegments), then matchesSegments per pattern.
    static QStringList patternSegments(const QString &pattern);
    static QList<QByteArray> pathSegments(const QByteArray &rawPath);
    static bool matchesSegments(const QStringList &pattern, const QList<QByteArray> &segments);

    // What has been added, in order: a method and a pattern per registration.
    QList<QPair<QByteArray, QString>> registrations() const;

private:
    struct Route
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Handler handler;
    };
    // `params` may be null: the path is only checked.
    static bool matchSegments(const QStringList &pattern, const QList<QByteArray> &segments,
                              QHash<QString, QString> *params);
    QList<Route> m_routes;
};

} // namespace pw::http
