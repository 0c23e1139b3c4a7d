#pragma once

#include "logmodel.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

class QObject;

namespace pw::ui {

class LogStream;

// What a log stream says happened, as the marker rows of a log view: gaps, reconnects, a
// refused stream, the end of the log and, in a merged stream, what happens to each source
// (worded as the web UI words it: "pod/container: container exited (code N)", "pod: pod
// deleted", "pod/container: reconnecting… (why)").
class LogMarkers {
    Q_DECLARE_TR_FUNCTIONS(LogMarkers)
public:
    struct Marker {
        LogModel::Kind kind = LogModel::Kind::Info;
        QString text; // empty: nothing to show
    };
    // Appends `stream`'s events to `model` while `context` lives. `before` runs first (the
    // view shows the lines that came before the event); `status` gets the stream's state.
    static void attach(LogStream *stream, LogModel *model, QObject *context,
                       std::function<void()> before, std::function<void(const QString &)> status);
    static Marker forSource(const QString &source, const QString &state, const QString &detail);
};

} // namespace pw::ui
