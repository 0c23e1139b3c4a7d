#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace pw::kubesim {

// meta.k8s.io/v1 Table rendering, as the apiserver's printers do for `kubectl get`
// (columns of pkg/printers/internalversion for jobs, pods, events and namespaces; NAME and
// CREATED AT for anything else).
namespace Tables {
// Whether an Accept header asks for a Table (as=Table;g=meta.k8s.io;v=v1).
bool wantsTable(const QByteArray &accept);
QJsonObject table(const QString &resource, const QList<QJsonObject> &objects, bool includeColumns,
                  const QString &resourceVersion);
// kubectl's HumanDuration ("5s", "3m20s", "2d").
QString humanDuration(qint64 seconds);
} // namespace Tables

} // namespace pw::kubesim
