#include "logmarkers.h"

#include "logstream.h"

#include <QRegularExpression>

namespace pw::ui {

namespace {
QString framed(const QString &text) {
    return QStringLiteral("— %1 —").arg(text);
}
} // namespace

void LogMarkers::attach(LogStream *stream, LogModel *model, QObject *context,
                        std::function<void()> before, std::function<void(const QString &)> status) {
    auto add = [model, before](LogModel::Kind kind, const QString &text) {
        before();
        model->appendMarker(kind, framed(text));
    };
    QObject::connect(stream, &LogStream::gap, context, [add](qint64 missed, bool restarted) {
        add(LogModel::Kind::Gap,
            restarted
                ? tr("the server restarted this log stream; continuing from its tail")
                : tr("%n line(s) missed here (the viewer fell behind)", nullptr, int(missed)));
    });
    QObject::connect(
        stream, &LogStream::reconnecting, context, [add, status](int delayMs, const QString &why) {
            add(LogModel::Kind::Reconnect,
                tr("connection lost (%1); reconnecting in %2 ms").arg(why).arg(delayMs));
            status(tr("reconnecting"));
        });
    QObject::connect(stream, &LogStream::reconnected, context,
                     [add] { add(LogModel::Kind::Reconnect, tr("reconnected; resuming")); });
    QObject::connect(stream, &LogStream::streamStateChanged, context,
                     [add, before, status](const QString &state, const QString &detail) {
                         const QString why =
                             detail.isEmpty() ? QString() : QStringLiteral(": ") + detail;
                         // A log that ended (its container finished, its pod went) is not a
                         // fault.
                         if (state == QStringLiteral("ended"))
                             add(LogModel::Kind::Info, tr("log ended%1").arg(why));
                         else if (state == QStringLiteral("reconnecting"))
                             add(LogModel::Kind::Reconnect, tr("reconnecting…%1").arg(why));
                         else
                             before();
                         status(state);
                     });
    QObject::connect(stream, &LogStream::sourceStateChanged, context,
                     [add](const QString &source, const QString &state, const QString &detail) {
                         const Marker m = forSource(source, state, detail);
                         if (!m.text.isEmpty())
                             add(m.kind, m.text);
                     });
    QObject::connect(stream, &LogStream::failed, context, [add, status](const QString &error) {
        add(LogModel::Kind::Gap, tr("stream refused: %1").arg(error));
        status(tr("refused"));
    });
}

LogMarkers::Marker LogMarkers::forSource(const QString &source, const QString &state,
                                         const QString &detail) {
    using Kind = LogModel::Kind;
    if (state == QStringLiteral("streaming"))
        return {}; // its lines say so
    if (state == QStringLiteral("gap"))
        return {Kind::Gap, tr("%1: %2").arg(source, detail)};
    if (state == QStringLiteral("reconnecting"))
        return {Kind::Reconnect, tr("%1: reconnecting… (%2)").arg(source, detail)};
    if (state == QStringLiteral("waiting"))
        return {Kind::Info, tr("%1: waiting — %2").arg(source, detail)};
    if (state == QStringLiteral("limited"))
        return {Kind::Gap, tr("%1: not followed — %2").arg(source, detail)};
    if (state == QStringLiteral("ended")) {
        if (detail.contains(QStringLiteral("deleted")))
            return {Kind::Info, tr("%1: pod deleted").arg(source)};
        static const QRegularExpression code(
            QStringLiteral("exit(?:ed)?(?: with)? code (\\d+)|\\(exit (\\d+)\\)"),
            QRegularExpression::CaseInsensitiveOption);
        const auto m = code.match(detail);
        if (m.hasMatch()) {
            const int n = (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)).toInt();
            // A container that failed is shown as a fault; one that finished, as news.
            return {n == 0 ? Kind::Info : Kind::Gap,
                    tr("%1: container exited (code %2)").arg(source).arg(n)};
        }
        return {Kind::Info, detail.isEmpty() ? tr("%1: ended").arg(source)
                                             : tr("%1: ended — %2").arg(source, detail)};
    }
    return {Kind::Info, detail.isEmpty() ? tr("%1: %2").arg(source, state)
                                         : tr("%1: %2 — %3").arg(source, state, detail)};
}

} // namespace pw::ui
