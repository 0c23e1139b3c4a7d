#include "discovery.h"

#include "kubejson.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pw::kubesim {

namespace Discovery {

namespace {

QJsonArray strings(std::initializer_list<const char *> list) {
    QJsonArray a;
    for (const char *s : list)
        a.append(QLatin1String(s));
    return a;
}

QJsonObject resource(const char *name, const char *singular, bool namespaced, const char *kind,
                     QJsonArray verbs, QJsonArray shortNames = {}, bool all = false) {
    QJsonObject r{{QStringLiteral("name"), QLatin1String(name)},
                  {QStringLiteral("singularName"), QLatin1String(singular)},
                  {QStringLiteral("namespaced"), namespaced},
                  {QStringLiteral("kind"), QLatin1String(kind)},
                  {QStringLiteral("verbs"), verbs}};
    if (!shortNames.isEmpty())
        r.insert(QStringLiteral("shortNames"), shortNames);
    if (all)
        r.insert(QStringLiteral("categories"), strings({"all"}));
    return r;
}

const QJsonArray kAllVerbs =
    strings({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"});

QJsonObject patchOperation(const char *group, const char *kind, const char *resourcePath) {
    return {
        {QStringLiteral("patch"),
         QJsonObject{
             {QStringLiteral("operationId"), QStringLiteral("patch") + QLatin1String(kind)},
             {QStringLiteral("x-kubernetes-action"), QStringLiteral("patch")},
             {QStringLiteral("x-kubernetes-group-version-kind"),
              QJsonObject{{QStringLiteral("group"), QLatin1String(group)},
                          {QStringLiteral("version"), QStringLiteral("v1")},
                          {QStringLiteral("kind"), QLatin1String(kind)}}},
             {QStringLiteral("parameters"),
              QJsonArray{QJsonObject{
                  {QStringLiteral("name"), QStringLiteral("fieldValidation")},
                  {QStringLiteral("in"), QStringLiteral("query")},
                  {QStringLiteral("schema"),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                  {QStringLiteral("description"),
                   QStringLiteral("fieldValidation instructs the server on how to handle objects "
                                  "in the request containing unknown or duplicate fields.")}}}},
             {QStringLiteral("responses"),
              QJsonObject{{QStringLiteral("200"),
                           QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")}}}}}}},
        {QStringLiteral("description"), QStringLiteral("patch ") + QLatin1String(resourcePath)}};
}

QByteArray openApiDoc(QJsonObject paths) {
    return KubeJson::compact(
        {{QStringLiteral("openapi"), QStringLiteral("3.0.0")},
         {QStringLiteral("info"),
          QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                      {QStringLiteral("version"), QStringLiteral("v1.32.0-kubesim")}}},
         {QStringLiteral("paths"), paths},
         {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), QJsonObject()}}}});
}

} // namespace

QByteArray api(const QString &serverAddress) {
    return KubeJson::compact(
        {{QStringLiteral("kind"), QStringLiteral("APIVersions")},
         {QStringLiteral("versions"), strings({"v1"})},
         {QStringLiteral("serverAddressByClientCIDRs"),
          QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                 {QStringLiteral("serverAddress"), serverAddress}}}}});
}

QByteArray apis() {
    const QJsonObject v1{{QStringLiteral("groupVersion"), QStringLiteral("batch/v1")},
                         {QStringLiteral("version"), QStringLiteral("v1")}};
    return KubeJson::compact(
        {{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
         {QStringLiteral("apiVersion"), QStringLiteral("v1")},
         {QStringLiteral("groups"),
          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("batch")},
                                 {QStringLiteral("versions"), QJsonArray{v1}},
                                 {QStringLiteral("preferredVersion"), v1}}}}});
}

QByteArray coreV1() {
    const QJsonArray resources{
        resource("events", "event", true, "Event", kAllVerbs, strings({"ev"})),
        resource("namespaces", "namespace", false, "Namespace",
                 strings({"create", "delete", "get", "list", "patch", "update", "watch"}),
                 strings({"ns"})),
        resource("pods", "pod", true, "Pod", kAllVerbs, strings({"po"}), true),
        resource("pods/log", "", true, "Pod", strings({"get"})),
        resource("pods/status", "", true, "Pod", strings({"get", "patch", "update"}))};
    return KubeJson::compact({{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                              {QStringLiteral("groupVersion"), QStringLiteral("v1")},
                              {QStringLiteral("resources"), resources}});
}

QByteArray batchV1() {
    const QJsonArray resources{
        resource("jobs", "job", true, "Job", kAllVerbs, {}, true),
        resource("jobs/status", "", true, "Job", strings({"get", "patch", "update"}))};
    return KubeJson::compact({{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                              {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                              {QStringLiteral("groupVersion"), QStringLiteral("batch/v1")},
                              {QStringLiteral("resources"), resources}});
}

QByteArray version() {
    return KubeJson::compact(
        {{QStringLiteral("major"), QStringLiteral("1")},
         {QStringLiteral("minor"), QStringLiteral("32")},
         {QStringLiteral("gitVersion"), QStringLiteral("v1.32.0-kubesim")},
         {QStringLiteral("gitCommit"), QStringLiteral("0000000000000000000000000000000000000000")},
         {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
         {QStringLiteral("buildDate"), QStringLiteral("2026-01-01T00:00:00Z")},
         {QStringLiteral("goVersion"), QStringLiteral("go1.23.4")},
         {QStringLiteral("compiler"), QStringLiteral("gc")},
         {QStringLiteral("platform"), QStringLiteral("linux/amd64")}});
}

QByteArray openApiV3Root() {
    return KubeJson::compact(
        {{QStringLiteral("paths"),
          QJsonObject{{QStringLiteral("api/v1"),
                       QJsonObject{{QStringLiteral("serverRelativeURL"),
                                    QStringLiteral("/openapi/v3/api/v1?hash=6B1F4D0C1A2E3F40")}}},
                      {QStringLiteral("apis/batch/v1"),
                       QJsonObject{{QStringLiteral("serverRelativeURL"),
                                    QStringLiteral(
                                        "/openapi/v3/apis/batch/v1?hash=7C2A5E1D2B3F4A51")}}}}}});
}

QByteArray openApiV3(const QString &groupVersion) {
    if (groupVersion == QStringLiteral("api/v1"))
        return openApiDoc({{QStringLiteral("/api/v1/namespaces/{namespace}/pods/{name}"),
                            patchOperation("", "Pod", "Pod")},
                           {QStringLiteral("/api/v1/namespaces/{namespace}/events/{name}"),
                            patchOperation("", "Event", "Event")},
                           {QStringLiteral("/api/v1/namespaces/{name}"),
                            patchOperation("", "Namespace", "Namespace")}});
    if (groupVersion == QStringLiteral("apis/batch/v1"))
        return openApiDoc({{QStringLiteral("/apis/batch/v1/namespaces/{namespace}/jobs/{name}"),
                            patchOperation("batch", "Job", "Job")}});
    return {};
}

} // namespace Discovery

} // namespace pw::kubesim
