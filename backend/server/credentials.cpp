#include "credentials.h"

#include "http/httprequest.h"

namespace pw::server {

namespace {

// The scheme and the rest of the Authorization header, split at the first space.
bool split(const http::HttpRequest &request, QByteArray *scheme, QByteArray *rest) {
    const QByteArray value = request.header("authorization").trimmed();
    if (value.isEmpty())
        return false;
    const qsizetype space = value.indexOf(' ');
    *scheme = space < 0 ? value : value.left(space);
    *rest = space < 0 ? QByteArray() : value.mid(space + 1).trimmed();
    return true;
}

} // namespace

namespace Credentials {

QByteArray bearer(const http::HttpRequest &request) {
    QByteArray scheme;
    QByteArray rest;
    if (!split(request, &scheme, &rest) || scheme.compare("bearer", Qt::CaseInsensitive) != 0)
        return {};
    return rest;
}

bool otherScheme(const http::HttpRequest &request) {
    QByteArray scheme;
    QByteArray rest;
    return split(request, &scheme, &rest) && scheme.compare("bearer", Qt::CaseInsensitive) != 0;
}

QByteArray cookie(const http::HttpRequest &request, const QByteArray &name) {
    const QByteArray prefix = name + '=';
    for (const auto &[header, value] : request.headers) {
        if (header != "cookie")
            continue;
        for (QByteArray part : value.split(';')) {
            part = part.trimmed();
            if (part.startsWith(prefix))
                return part.mid(prefix.size());
        }
    }
    return {};
}

} // namespace Credentials

} // namespace pw::server
