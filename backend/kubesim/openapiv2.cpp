#include "openapiv2.h"

namespace pw::kubesim {

namespace OpenApiV2 {

namespace {

// Protocol buffers wire format: only length-delimited fields (wire type 2) are needed.
void varint(QByteArray &out, quint64 value) {
    while (value >= 0x80) {
        out += char((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += char(value);
}

QByteArray field(int number, const QByteArray &payload) {
    QByteArray out;
    varint(out, quint64(number) << 3 | 2);
    varint(out, quint64(payload.size()));
    out += payload;
    return out;
}

QByteArray patchPath(const QByteArray &path, const QByteArray &operationId, const QByteArray &group,
                     const QByteArray &kind) {
    // QueryParameterSubSchema: in = 2, name = 4, type = 6
    const QByteArray query = field(2, "query") + field(4, "fieldValidation") + field(6, "string");
    const QByteArray nonBody = field(3, query);     // NonBodyParameter.query_parameter_sub_schema
    const QByteArray parameter = field(2, nonBody); // Parameter.non_body_parameter
    const QByteArray parametersItem = field(1, parameter); // ParametersItem.parameter
    const QByteArray gvkYaml = "group: \"" + group + "\"\nkind: " + kind + "\nversion: v1\n";
    const QByteArray any = field(2, gvkYaml); // Any.yaml
    const QByteArray namedAny = field(1, "x-kubernetes-group-version-kind") + field(2, any);
    const QByteArray operation =
        field(5, operationId) + field(8, parametersItem) + field(13, namedAny);
    const QByteArray pathItem = field(8, operation); // PathItem.patch
    return field(1, path) + field(2, pathItem);      // NamedPathItem
}

} // namespace

QByteArray protobufDocument() {
    static const QByteArray document = [] {
        QByteArray paths;
        paths += field(2, patchPath("/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
                                    "patchBatchV1NamespacedJob", "batch", "Job"));
        paths += field(2, patchPath("/api/v1/namespaces/{namespace}/pods/{name}",
                                    "patchCoreV1NamespacedPod", "", "Pod"));
        paths += field(2, patchPath("/api/v1/namespaces/{namespace}/events/{name}",
                                    "patchCoreV1NamespacedEvent", "", "Event"));
        paths += field(
            2, patchPath("/api/v1/namespaces/{name}", "patchCoreV1Namespace", "", "Namespace"));
        const QByteArray info = field(1, "Kubernetes") + field(2, "v1.32.0-kubesim");
        return field(1, "2.0") + field(2, info) + field(8, paths) + field(9, QByteArray());
    }();
    return document;
}

} // namespace OpenApiV2

} // namespace pw::kubesim
