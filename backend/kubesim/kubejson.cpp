#include "kubejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUuid>

namespace pw::kubesim {

namespace KubeJson {

QJsonValue at(const QJsonObject &object, const QString &dottedPath) {
    const QStringList parts = dottedPath.split(u'.');
    QJsonValue current = object;
    for (const QString &part : parts) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = current.toObject().value(part);
    }
    return current;
}

static void setAt(QJsonObject &object, const QStringList &path, int index, const QJsonValue &v) {
    if (index == path.size() - 1) {
        object.insert(path[index], v);
        return;
    }
    QJsonObject child = object.value(path[index]).toObject();
    setAt(child, path, index + 1, v);
    object.insert(path[index], child);
}

void set(QJsonObject &object, const QStringList &path, const QJsonValue &value) {
    if (!path.isEmpty())
        setAt(object, path, 0, value);
}

QByteArray compact(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString timestamp(const QDateTime &time) {
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QString nowStamp() {
    return timestamp(QDateTime::currentDateTimeUtc());
}

QString randomSuffix(int length) {
    // The apiserver's generateName alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels,
    // no digits that look like letters.
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    QString out;
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet - 1))]);
    return out;
}

QString newUid() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString reasonForCode(int code) {
    switch (code) {
    case 400:
        return QStringLiteral("BadRequest");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("NotFound");
    case 405:
        return QStringLiteral("MethodNotAllowed");
    case 406:
        return QStringLiteral("NotAcceptable");
    case 409:
        return QStringLiteral("AlreadyExists");
    case 410:
        return QStringLiteral("Expired");
    case 413:
        return QStringLiteral("RequestEntityTooLarge");
    case 415:
        return QStringLiteral("UnsupportedMediaType");
    case 422:
        return QStringLiteral("Invalid");
    case 429:
        return QStringLiteral("TooManyRequests");
    case 503:
        return QStringLiteral("ServiceUnavailable");
    case 504:
        return QStringLiteral("Timeout");
    default:
        return code >= 500 ? QStringLiteral("InternalError") : QString();
    }
}

QByteArray status(int code, const QString &reason, const QString &message,
                  const QJsonObject &details) {
    QJsonObject s{{QStringLiteral("kind"), QStringLiteral("Status")},
                  {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                  {QStringLiteral("metadata"), QJsonObject()},
                  {QStringLiteral("status"), QStringLiteral("Failure")},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("reason"), reason},
                  {QStringLiteral("code"), code}};
    if (!details.isEmpty())
        s.insert(QStringLiteral("details"), details);
    return compact(s);
}

QByteArray statusSuccess(const QJsonObject &details) {
    return compact(QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                               {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                               {QStringLiteral("metadata"), QJsonObject()},
                               {QStringLiteral("status"), QStringLiteral("Success")},
                               {QStringLiteral("details"), details}});
}

QString qualified(const QString &resource, const QString &group) {
    return group.isEmpty() ? resource : resource + u'.' + group;
}

static QJsonObject details(const QString &resource, const QString &group, const QString &name) {
    QJsonObject d{{QStringLiteral("name"), name}, {QStringLiteral("kind"), resource}};
    if (!group.isEmpty())
        d.insert(QStringLiteral("group"), group);
    return d;
}

QByteArray notFound(const QString &resource, const QString &group, const QString &name) {
    return status(404, QStringLiteral("NotFound"),
                  QStringLiteral("%1 \"%2\" not found").arg(qualified(resource, group), name),
                  details(resource, group, name));
}

QByteArray alreadyExists(const QString &resource, const QString &group, const QString &name) {
    return status(409, QStringLiteral("AlreadyExists"),
                  QStringLiteral("%1 \"%2\" already exists").arg(qualified(resource, group), name),
                  details(resource, group, name));
}

} // namespace KubeJson

} // namespace pw::kubesim
