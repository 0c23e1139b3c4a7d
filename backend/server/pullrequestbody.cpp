#include "pullrequestbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pw::server {

namespace PullRequestBody {

std::optional<ApiError> parse(const QByteArray &body, QStringList *references)
{
    static const QString forms = QStringLiteral(
        "send {\"names\":[\"image:tag\",…]}, {\"name\":\"image\",\"tag\":\"tag\"} or "
        "{\"name\":\"image:tag\"}");
    if (body.trimmed().isEmpty())
        return ApiError::badRequest(QStringLiteral("request body is empty; ") + forms, QStringLiteral("body"));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiError::badRequest(QStringLiteral("request body is not valid JSON (%1 at offset %2); ")
                                        .arg(error.errorString())
                                        .arg(error.offset)
                                        + forms,
                                    QStringLiteral("body"));
    if (!doc.isObject())
        return ApiError::badRequest(QStringLiteral("request body must be a JSON object; ") + forms,
                                    QStringLiteral("body"));
    const QJsonObject o = doc.object();
    // The original service's rules (docs/api.md, "Compatibility"): a non-empty names wins
    // over name/tag; an empty or null name, names or tag counts as not given.
    const QJsonValue names = o.value(QStringLiteral("names"));
    if (!names.isNull() && !names.isUndefined() && !names.isArray())
        return ApiError::badRequest(QStringLiteral("names must be an array of image references"),
                                    QStringLiteral("names"));
    const QJsonArray array = names.toArray();
    if (!array.isEmpty()) {
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isString())
                return ApiError::badRequest(QStringLiteral("names[%1] must be a string").arg(i),
                                            QStringLiteral("names[%1]").arg(i));
            references->append(array[i].toString().trimmed());
        }
        return std::nullopt;
    }
    const QJsonValue name = o.value(QStringLiteral("name"));
    if (!name.isNull() && !name.isUndefined() && !name.isString())
        return ApiError::badRequest(QStringLiteral("name must be a string"), QStringLiteral("name"));
    QString reference = name.toString().trimmed();
    if (reference.isEmpty())
        return ApiError::badRequest(
            (names.isArray() ? QStringLiteral("names is empty and no name is given; ")
                             : QStringLiteral("no image given; "))
                + forms,
            QStringLiteral("name"));
    const QJsonValue tag = o.value(QStringLiteral("tag"));
    if (!tag.isNull() && !tag.isUndefined() && !tag.isString())
        return ApiError::badRequest(QStringLiteral("tag must be a string or null"), QStringLiteral("tag"));
    const QString tagText = tag.toString().trimmed();
    if (!tagText.isEmpty()) {
        const qsizetype slash = reference.lastIndexOf(u'/');
        if (reference.indexOf(u':', slash + 1) >= 0 || reference.contains(u'@'))
            return ApiError::badRequest(
                QStringLiteral("name already carries a tag or digest; do not also give tag"),
                QStringLiteral("tag"));
        reference += u':' + tagText;
    }
    references->append(reference);
    return std::nullopt;
}

} // namespace PullRequestBody

} // namespace pw::server
