#include "pullrequestbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace PullRequestBody {

std::optional<ApiError> parse(const QByteArray &body, QStringList *references)
{
    static const QString forms = QStringLiteral(
        "send {\"names\":[\"image:tag\",…]}, {\"name\":\"image\",\"tag\":\"tag\"} or "
        "{\"name\":\"image:tag\"}");
    if (body.trimmed().isEmpty())
        return ApiError::badRequest(QStringLiteral("request body is empty; ") + forms);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiError::badRequest(QStringLiteral("request body is not valid JSON (%1 at offset %2); ")
                                        .arg(error.errorString())
                                        .arg(error.offset)
                                    + forms);
    if (!doc.isObject())
        return ApiError::badRequest(QStringLiteral("request body must be a JSON object; ") + forms);
    const QJsonObject o = doc.object();
    const bool hasNames = o.contains(QStringLiteral("names"));
    const bool hasName = o.contains(QStringLiteral("name"));
    if (hasNames && (hasName || o.contains(QStringLiteral("tag"))))
        return ApiError::badRequest(QStringLiteral("give either names, or name (with an optional tag), not both"));
    if (hasNames) {
        const QJsonValue names = o.value(QStringLiteral("names"));
        if (!names.isArray())
            return ApiError::badRequest(QStringLiteral("names must be an array of image references"));
        const QJsonArray array = names.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array[i].isString())
                return ApiError::badRequest(QStringLiteral("names[%1] must be a string").arg(i));
            references->append(array[i].toString().trimmed());
        }
        if (references->isEmpty())
            return ApiError::badRequest(QStringLiteral("names is empty; give at least one image"));
        return std::nullopt;
    }
    if (!hasName)
        return ApiError::badRequest(QStringLiteral("no image given; ") + forms);
    const QJsonValue name = o.value(QStringLiteral("name"));
    if (!name.isString())
        return ApiError::badRequest(QStringLiteral("name must be a string"));
    QString reference = name.toString().trimmed();
    if (o.contains(QStringLiteral("tag"))) {
        const QJsonValue tag = o.value(QStringLiteral("tag"));
        if (!tag.isString())
            return ApiError::badRequest(QStringLiteral("tag must be a string"));
        const qsizetype slash = reference.lastIndexOf(u'/');
        if (reference.indexOf(u':', slash + 1) >= 0 || reference.contains(u'@'))
            return ApiError::badRequest(QStringLiteral("name already carries a tag or digest; do not also give tag"));
        if (!tag.toString().isEmpty())
            reference += u':' + tag.toString().trimmed();
    }
    references->append(reference);
    return std::nullopt;
}

} // namespace PullRequestBody
