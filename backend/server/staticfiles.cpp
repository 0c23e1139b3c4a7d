#include "staticfiles.h"

#include "apierror.h"
#include "serverlog.h"

#include "http/httprequest.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>

namespace pw::server {

namespace {

const QString kRoot = QStringLiteral(":/web/");

QByteArray contentTypeFor(const QString &name) {
    static const QHash<QString, QByteArray> types{
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("mjs"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("ico"), "image/x-icon"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("txt"), "text/plain; charset=utf-8"},
    };
    const QString ext = name.mid(name.lastIndexOf(u'.') + 1).toLower();
    return types.value(ext, "application/octet-stream");
}

} // namespace

StaticFiles::StaticFiles() {
    QDirIterator it(kRoot, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        File file;
        file.body = f.readAll();
        file.contentType = contentTypeFor(path);
        file.etag =
            '"' + QCryptographicHash::hash(file.body, QCryptographicHash::Sha256).toHex().left(20) +
            '"';
        const QString name = path.mid(kRoot.size());
        if (name == u"index.html")
            m_index = file;
        else
            m_files.insert(name, file);
    }
    if (m_index.body.isEmpty())
        qCWarning(lcServer) << "the web UI is missing from the resources";
}

void StaticFiles::addSecurityHeaders(http::HttpResponse &response) {
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'self'; style-src 'self'; "
                       "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                       "manifest-src 'self'; base-uri 'none'; form-action 'self'; "
                       "frame-ancestors 'none'");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
}

QString StaticFiles::pathError(const QByteArray &rawPath) {
    const QByteArray lower = rawPath.toLower();
    // Encoded separators and NUL would let a decoded name differ from what the router saw.
    for (const char *bad : {"%2f", "%5c", "%00", "%2e", "\\"}) {
        if (lower.contains(bad))
            return QStringLiteral("encoded '/', '\\', '.' or NUL is not allowed in a static path");
    }
    for (const QByteArray &segment : rawPath.split('/')) {
        if (segment == "." || segment == "..")
            return QStringLiteral("'.' and '..' are not allowed in a static path");
    }
    for (const char c : rawPath) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return QStringLiteral("control characters are not allowed in a static path");
    }
    return {};
}

http::HttpResponse StaticFiles::serve(const http::HttpRequest &request, const File &file,
                                bool revalidate) const {
    http::HttpResponse response;
    if (request.header("if-none-match") == file.etag) {
        response.status = 304;
    } else {
        response.status = 200;
        response.body = file.body; // a HEAD answer is cut by the connection, its length kept
        response.setHeader("Content-Type", file.contentType);
    }
    response.setHeader("ETag", file.etag);
    // No build step fingerprints the names, so the browser revalidates (a cheap 304) rather
    // than keeping a stale app.js after an upgrade.
    response.setHeader("Cache-Control", revalidate ? "no-cache" : "no-cache, max-age=0");
    addSecurityHeaders(response);
    return response;
}

http::HttpResponse StaticFiles::index(const http::HttpRequest &request) const {
    if (m_index.body.isEmpty())
        return ApiError::notFound(QStringLiteral("the web UI is not built into this binary"))
            .toResponse();
    return serve(request, m_index, true);
}

http::HttpResponse StaticFiles::file(const http::HttpRequest &request) const {
    http::HttpResponse refused;
    if (const QString error = pathError(request.rawPath); !error.isEmpty()) {
        refused = ApiError::badRequest(error, QStringLiteral("path")).toResponse();
    } else {
        const QString name = request.pathParam(QStringLiteral("path"));
        static const QRegularExpression allowed(
            QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"));
        const auto it = allowed.match(name).hasMatch()
                            ? m_files.constFind(QStringLiteral("static/") + name)
                            : m_files.cend();
        if (it != m_files.cend())
            return serve(request, *it, false);
        refused = ApiError::notFound(QStringLiteral("no such file in the web UI")).toResponse();
    }
    addSecurityHeaders(refused);
    return refused;
}

http::HttpResponse StaticFiles::favicon() const {
    http::HttpResponse refused = ApiError::notFound(QStringLiteral("no such file in the web UI")).toResponse();
    addSecurityHeaders(refused);
    return refused;
}

} // namespace pw::server
