#pragma once

#include "http/httpresponse.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace pw::http { struct HttpRequest; }

namespace pw::server {

// The web UI, served from the Qt resources compiled into the binary (:/web/…) and from
// nothing else: the set of servable names is fixed at start-up, so no request path can reach
// a file outside it (docs/architecture.md §6: static files only from resources).
class StaticFiles {
public:
    StaticFiles();

    // GET / (and /index.html), GET /static/<name>, GET /favicon.ico (a browser asks for it
    // before it has logged in; the page names its icon under /static/, so this is a 404).
    http::HttpResponse index(const http::HttpRequest &request) const;
    http::HttpResponse file(const http::HttpRequest &request) const;
    http::HttpResponse favicon() const;
    int fileCount() const { return int(m_files.size()); }

    // The headers every UI answer carries: a CSP without inline script, no framing, no
    // sniffing, no referrer.
    static void addSecurityHeaders(http::HttpResponse &response);
    // Empty when `rawPath` (still percent-encoded) is an acceptable static path, else why
    // not: "..", encoded slashes or backslashes, NUL and control characters are refused.
    static QString pathError(const QByteArray &rawPath);

private:
    struct File {
        QByteArray body;
        QByteArray contentType;
        QByteArray etag;
    };
    http::HttpResponse serve(const http::HttpRequest &request, const File &file,
                             bool revalidate) const;

    QHash<QString, File> m_files; // "static/app.js", "static/icons/logo.svg", …
    File m_index;
};

} // namespace pw::server
