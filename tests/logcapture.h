#pragma once

#include <QStringList>
#include <QtGlobal>

// Every message the process logs while captureLog is the message handler
// (qInstallMessageHandler(captureLog)), kept so a suite can check what was written (and that
// no secret was).
inline QStringList &capturedLog() {
    static QStringList lines;
    return lines;
}

inline void captureLog(QtMsgType, const QMessageLogContext &, const QString &message) {
    capturedLog().append(message);
}
