#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace pw::kubesim {

// Texts that make the simulated pull look like the real thing: crane's copy log, containerd's
// pull errors, digests.
namespace CraneLog {
// Source and target of `crane copy SRC DST` in a container's command/args; empty when absent.
QPair<QString, QString> copyArguments(const QJsonObject &container);
QString digestOf(const QString &text);
// The lines of a successful copy (first "Copying from …", last "…: digest: … size: …").
QList<QByteArray> successLines(const QString &source, const QString &target);
QList<QByteArray> failureLines(const QString &source, const QString &target);
// containerd's error for a failed pull (ErrImagePull message).
QString pullError(const QString &image, bool unauthorized);
QByteArray stamp(); // "2026/11/27 10:00:00" as Go's log package writes
} // namespace CraneLog

} // namespace pw::kubesim
