#include "kubeerror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace pw::kube {

namespace {
constexpr int kMaxRawMessage = 512;
}

QString KubeError::toString() const {
    if (isNull())
        return {};
    QString out;
    if (code)
        out += QString::number(code) + u' ';
    if (!reason.isEmpty())
        out += reason + QStringLiteral(": ");
    return out + message;
}

KubeError KubeError::network(QString message) {
    return {Kind::Network, 0, QStringLiteral("NetworkError"), std::move(message)};
}

KubeError KubeError::invalid(QString message) {
    return {Kind::Invalid, 0, QStringLiteral("Invalid"), std::move(message)};
}

KubeError KubeError::protocol(QString message) {
    return {Kind::Protocol, 0, QStringLiteral("ProtocolError"), std::move(message)};
}

KubeError KubeError::auth(QString message) {
    return {Kind::Auth, 401, QStringLiteral("Unauthorized"), std::move(message)};
}

KubeError KubeError::fromStatusObject(const QJsonObject &status, int fallbackCode) {
    KubeError e;
    e.kind = Kind::Api;
    const int code = status.value(QLatin1String("code")).toInt(0);
    e.code = code >= 100 && code <= 599 ? code : fallbackCode;
    e.reason = status.value(QLatin1String("reason")).toString();
    e.message = status.value(QLatin1String("message")).toString().left(4096);
    if (e.message.isEmpty())
        e.message = QStringLiteral("the API server answered %1 without a message").arg(e.code);
    return e;
}

KubeError KubeError::fromResponse(int httpStatus, const QByteArray &body) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (doc.isObject() &&
        doc.object().value(QLatin1String("kind")).toString() == QLatin1String("Status")) {
        KubeError e = fromStatusObject(doc.object(), httpStatus);
        e.code = httpStatus; // the HTTP status is authoritative
        return e;
    }
    KubeError e;
    e.kind = Kind::Api;
    e.code = httpStatus;
    QString raw = QString::fromUtf8(body.left(kMaxRawMessage)).simplified();
    if (body.size() > kMaxRawMessage)
        raw += QStringLiteral("…");
    e.message = raw.isEmpty() ? QStringLiteral("the API server answered %1").arg(httpStatus) : raw;
    switch (httpStatus) {
    case 401:
        e.reason = QStringLiteral("Unauthorized");
        break;
    case 403:
        e.reason = QStringLiteral("Forbidden");
        break;
    case 404:
        e.reason = QStringLiteral("NotFound");
        break;
    case 409:
        e.reason = QStringLiteral("AlreadyExists");
        break;
    case 410:
        e.reason = QStringLiteral("Expired");
        break;
    default:
        break;
    }
    return e;
}

} // namespace pw::kube
