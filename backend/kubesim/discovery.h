#pragma once

#include <QByteArray>
#include <QString>

namespace pw::kubesim {

// Discovery documents (/api, /apis, /api/v1, /apis/batch/v1, /version) and the part of
// OpenAPI v3 that kubectl reads before `create`: per group-version documents whose PATCH
// operations carry x-kubernetes-group-version-kind and the fieldValidation parameter, so
// kubectl 1.27+ leaves validation to the server (fieldValidation=Strict).
namespace Discovery {
QByteArray api(const QString &serverAddress);
QByteArray apis();
QByteArray coreV1();
QByteArray batchV1();
QByteArray version();
QByteArray openApiV3Root();
// "api/v1" or "apis/batch/v1"; empty when unknown.
QByteArray openApiV3(const QString &groupVersion);
} // namespace Discovery

} // namespace pw::kubesim
