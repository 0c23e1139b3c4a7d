#pragma once

#include <QByteArray>
#include <QString>

class QJsonObject;

namespace pw::kube {

// An error from a Kubernetes call: the API's `Status` object (code, reason, message), a
// network failure, or something the client refused itself (an invalid name, a bad answer).
struct KubeError {
    enum class Kind { None, Network, Api, Invalid, Protocol, Auth };

    Kind kind = Kind::None;
    int code = 0;    // HTTP status (Status.code when the API sent one)
    QString reason;  // Status.reason: NotFound, Forbidden, Expired, AlreadyExists, …
    QString message; // human readable

    bool isNull() const { return kind == Kind::None; }
    bool isNotFound() const { return code == 404; }
    bool isGone() const { return code == 410; }
    QString toString() const;

    static KubeError network(QString message);
    static KubeError invalid(QString message);
    static KubeError protocol(QString message);
    static KubeError auth(QString message);
    // From an HTTP error answer. The body is normally a Status object; unknown fields are
    // ignored and a body that is not one becomes a (bounded) message.
    static KubeError fromResponse(int httpStatus, const QByteArray &body);
    // From a Status object (a watch ERROR event carries one).
    static KubeError fromStatusObject(const QJsonObject &status, int fallbackCode);
};

} // namespace pw::kube
