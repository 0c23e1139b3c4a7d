#include "notifyqueue.h"

#include "timeformat.h"

namespace pw::core {

QJsonObject Notification::toJson() const {
    return {{QStringLiteral("key"), key},
            {QStringLiteral("url"), url},
            {QStringLiteral("body"), QString::fromUtf8(body)},
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("first_at"), TimeFormat::rfc3339(firstAt)},
            {QStringLiteral("due"), TimeFormat::rfc3339(due)}};
}

Notification Notification::fromJson(const QJsonObject &o) {
    Notification n;
    n.key = o.value(QStringLiteral("key")).toString();
    n.url = o.value(QStringLiteral("url")).toString();
    n.body = o.value(QStringLiteral("body")).toString().toUtf8();
    n.attempts = o.value(QStringLiteral("attempts")).toInt();
    n.firstAt = TimeFormat::parseRfc3339(o.value(QStringLiteral("first_at")).toString());
    n.due = TimeFormat::parseRfc3339(o.value(QStringLiteral("due")).toString());
    return n;
}

} // namespace pw::core
