#include "pullformat.h"

namespace pw::ui {

namespace PullFormat {

QString age(const QDateTime &since, const QDateTime &now) {
    if (!since.isValid())
        return QString();
    const qint64 s = qMax<qint64>(0, since.secsTo(now));
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1d").arg(s / 86400);
}

QString time(const QDateTime &t) {
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QString();
}

QString reason(core::FailureReason r) {
    switch (r) {
    case core::FailureReason::None:
        return QString();
    case core::FailureReason::ImageNotFound:
        return QObject::tr("Image not found");
    case core::FailureReason::Unauthorized:
        return QObject::tr("Unauthorized");
    case core::FailureReason::PullBackOff:
        return QObject::tr("Pull back-off");
    case core::FailureReason::PushFailed:
        return QObject::tr("Push to Harbor failed");
    case core::FailureReason::DeadlineExceeded:
        return QObject::tr("Deadline exceeded");
    case core::FailureReason::BackoffLimitExceeded:
        return QObject::tr("Backoff limit exceeded");
    case core::FailureReason::Unschedulable:
        return QObject::tr("Unschedulable");
    case core::FailureReason::Cancelled:
        return QObject::tr("Cancelled");
    case core::FailureReason::Unknown:
        return QObject::tr("Unknown");
    }
    return QString();
}

QString tooltip(const core::PullJob &p) {
    QString text = QStringLiteral("%1\n%2 — %3 (%4%)")
                       .arg(p.id, p.imageReference(), core::PullStates::toString(p.stage))
                       .arg(p.progress);
    if (!p.podName.isEmpty())
        text += QStringLiteral("\npod %1").arg(p.podName);
    return text;
}

QString detailHtml(const core::PullJob &p) {
    auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(p.imageReference()));
    // The cause first (the server leads the message with the line that explains it).
    if (!p.message.isEmpty())
        html += QStringLiteral("<p style='color:%1'><b>%2</b></p>")
                    .arg(p.status == core::PullStatus::Failed ? QStringLiteral("#b03a2e")
                                                        : QStringLiteral("inherit"),
                         esc(p.message));
    html += QStringLiteral("<table cellspacing=2>");
    auto row = [&](const QString &k, const QString &v) {
        if (!v.isEmpty())
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), esc(v));
    };
    if (p.reason != core::FailureReason::None)
        row(QObject::tr("Reason"),
            QStringLiteral("%1 (%2)").arg(reason(p.reason), core::PullStates::toString(p.reason)));
    row(QObject::tr("Job"), p.id);
    row(QObject::tr("Pod"), p.podName);
    row(QObject::tr("Node"), p.node);
    row(QObject::tr("Progress"),
        QStringLiteral("%1% (%2)").arg(p.progress).arg(core::PullStates::toString(p.stage)));
    row(QObject::tr("Started"), time(p.createdAt));
    const QString ended = p.status == core::PullStatus::Failed      ? QObject::tr("Failed")
                          : p.status == core::PullStatus::Completed ? QObject::tr("Completed")
                                                              : QObject::tr("Updated");
    row(ended, time(p.finishedAt.isValid() ? p.finishedAt : p.updatedAt));
    row(QObject::tr("Source"), p.source);
    row(QObject::tr("Target"), p.target);
    row(QObject::tr("Retried by"), p.retriedBy);
    html += QStringLiteral("</table>");
    html += QStringLiteral("<h4>%1</h4>").arg(QObject::tr("Events"));
    if (p.events.isEmpty()) {
        html += QStringLiteral("<p><i>%1</i></p>").arg(QObject::tr("none"));
    } else {
        html +=
            QStringLiteral("<table border=1 cellspacing=0 cellpadding=3><tr><th>%1</th><th>%2</th>"
                           "<th>%3</th><th>%4</th><th>%5</th></tr>")
                .arg(QObject::tr("Time"), QObject::tr("Type"), QObject::tr("Reason"),
                     QObject::tr("Count"), QObject::tr("Message"));
        for (const core::PullEvent &e : p.events) {
            const QString colour = e.type == QStringLiteral("Warning") ? QStringLiteral("#b03a2e")
                                                                       : QStringLiteral("inherit");
            html += QStringLiteral("<tr><td>%1</td><td "
                                   "style='color:%2'>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>")
                        .arg(esc(time(e.time)), colour, esc(e.type), esc(e.reason))
                        .arg(e.count)
                        .arg(esc(e.message));
        }
        html += QStringLiteral("</table>");
    }
    auto tail = [&](const QString &title, const QString &text) {
        html += QStringLiteral("<h4>%1</h4>").arg(esc(title));
        html += text.isEmpty() ? QStringLiteral("<p><i>%1</i></p>").arg(QObject::tr("no output"))
                               : QStringLiteral("<pre>%1</pre>").arg(esc(text));
    };
    tail(QObject::tr("Log: pull-source"), p.sourceLogTail);
    tail(QObject::tr("Log: push-to-harbor"), p.pushLogTail);
    return html;
}

} // namespace PullFormat

} // namespace pw::ui
