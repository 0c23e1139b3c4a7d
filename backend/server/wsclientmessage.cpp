#include "wsclientmessage.h"

#include "core/dnsname.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace pw::server {

namespace {
const QString kAllowedActions = QStringLiteral("allowed actions: subscribe, unsubscribe");
}

core::Result<WsClientMessage> WsClientMessage::parse(QByteArrayView text)
{
    using R = core::Result<WsClientMessage>;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return R::failure(QStringLiteral("malformed message: not JSON (%1 at offset %2)")
                              .arg(error.errorString())
                              .arg(error.offset));
    if (!doc.isObject())
        return R::failure(QStringLiteral("malformed message: expected a JSON object"));
    const QJsonObject o = doc.object();
    const QJsonValue action = o.value(QLatin1String("action"));
    if (!action.isString())
        return R::failure(QStringLiteral("missing \"action\"; %1").arg(kAllowedActions));
    const QString act = action.toString();
    WsClientMessage message;
    if (act == QLatin1String("subscribe"))
        message.action = Action::Subscribe;
    else if (act == QLatin1String("unsubscribe"))
        message.action = Action::Unsubscribe;
    else
        return R::failure(
            QStringLiteral("unknown action '%1'; %2").arg(act.left(40), kAllowedActions));
    const QJsonValue id = o.value(QLatin1String("job_id"));
    message.jobId = id.toString();
    if (!id.isString()
        || (message.jobId != kAllJobs && !core::DnsName::isSubdomain(message.jobId)))
        return R::failure(QStringLiteral("job_id must be a job name (DNS-1123 subdomain) "
                                         "or \"*\" for every pull"));
    return message;
}

} // namespace pw::server
