#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QString>

namespace pw::server {

// A message a client sends on /ws/image-pull-all (docs/api.md):
// {"action":"subscribe"|"unsubscribe","job_id":<job name (DNS-1123 subdomain) or "*">}.
// parse() turns the bytes of one text message into it, or into an error naming the field
// and what is allowed; it takes any bytes.
struct WsClientMessage
{
    enum class Action { Subscribe, Unsubscribe };
    static inline const QString kAllJobs = QStringLiteral("*");

    Action action = Action::Subscribe;
    QString jobId; // a job name, or "*" for every pull

    static core::Result<WsClientMessage> parse(QByteArrayView text);
};

} // namespace pw::server
