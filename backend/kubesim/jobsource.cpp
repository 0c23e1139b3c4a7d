#include "jobsource.h"

#include "cranelog.h"
#include "kubejson.h"

#include <core/imagereference.h>

#include <QJsonArray>

namespace pw::kubesim {

QString JobSource::normalised(const QString &image) {
    const auto ref = core::ImageReference::parse(image);
    return ref.ok() ? ref->toString() : image;
}

JobSource JobSource::of(const QJsonObject &job, const Scenario &scenario) {
    QList<QJsonObject> containers;
    for (const char *key : {"spec.template.spec.initContainers", "spec.template.spec.containers"})
        for (const QJsonValue &v : KubeJson::at(job, QLatin1String(key)).toArray())
            containers << v.toObject();
    const QString annotated = KubeJson::at(job, QStringLiteral("metadata.annotations"))
                                  .toObject()
                                  .value(QStringLiteral("pullwatch.io/source-image"))
                                  .toString();
    auto imageOf = [&](int i) { return containers[i].value(QStringLiteral("image")).toString(); };
    JobSource out;
    int index = -1;
    if (!annotated.isEmpty()) {
        out.image = annotated;
        for (int i = 0; i < containers.size() && index < 0; ++i)
            if (normalised(imageOf(i)) == normalised(annotated))
                index = i;
    } else {
        for (int i = 0; i < containers.size() && index < 0; ++i) {
            if (!scenario.ruleFor(imageOf(i)).keyword.isEmpty()) {
                index = i;
                out.image = imageOf(i);
            }
        }
        if (out.image.isEmpty() && !containers.isEmpty()) {
            const QPair<QString, QString> copy = CraneLog::copyArguments(containers.last());
            out.image = copy.first.isEmpty() ? imageOf(0) : copy.first;
        }
    }
    out.rule = scenario.ruleFor(out.image);
    const int inits =
        KubeJson::at(job, QStringLiteral("spec.template.spec.initContainers")).toArray().size();
    out.containerIndex = index >= 0 ? index : (inits < containers.size() ? inits : 0);
    return out;
}

} // namespace pw::kubesim
