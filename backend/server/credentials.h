#pragma once

#include <QByteArray>

namespace pw::http { struct HttpRequest; }

namespace pw::server {

// Where a request carries its credential (docs/architecture.md §6). Only the Authorization
// header and cookies are read: never the URL, which ends up in logs and browser history.
namespace Credentials {

// RFC 9110 §11.6.2 / §11.1: "Authorization: <scheme> <credentials>", the scheme name is
// case-insensitive. The Bearer credential (RFC 6750 §2.1), or empty when there is none.
QByteArray bearer(const http::HttpRequest &request);
// Whether an Authorization header with a scheme other than Bearer was sent.
bool otherScheme(const http::HttpRequest &request);
// The value of cookie `name` (RFC 6265 §5.4: "name=value" pairs separated by ';').
QByteArray cookie(const http::HttpRequest &request, const QByteArray &name);

} // namespace Credentials

} // namespace pw::server
