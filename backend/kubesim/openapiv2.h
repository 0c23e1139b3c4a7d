#pragma once

#include <QByteArray>

namespace pw::kubesim {

// GET /openapi/v2 as kubectl 1.27 and 1.28 ask for it (protobuf, gnostic openapi.v2.Document):
// no schemas, only the PATCH operations of jobs, pods, events and namespaces with their
// x-kubernetes-group-version-kind extension and the fieldValidation query parameter, which is
// what kubectl's QueryParamVerifier looks for before it leaves validation to the server.
namespace OpenApiV2 {
QByteArray protobufDocument();
// What the apiserver answers (Go's mime parser rejects the "@" of the Accept value).
constexpr const char *kContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
} // namespace OpenApiV2

} // namespace pw::kubesim
