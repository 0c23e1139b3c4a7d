// Watch events as the API server streams them, one JSON object per line: parsed as the
// informer does, and a Job (with a pod from the same input) mapped to a pull state. The
// sanitizers are the oracle: no crash, no undefined behaviour, no leak.
#include "pulls/pullstatemapper.h"

#include <QJsonDocument>

using namespace pw::pulls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nl = input.indexOf('\n');
    const QByteArray eventLine = nl < 0 ? input : input.first(nl);
    const QByteArray podLine = nl < 0 ? QByteArray() : input.sliced(nl + 1);
    QJsonParseError error{};
    const QJsonObject event = QJsonDocument::fromJson(eventLine, &error).object();
    if (error.error != QJsonParseError::NoError)
        return 0;
    const QJsonObject job = event.value(QLatin1String("object")).toObject();
    const QJsonObject pod = QJsonDocument::fromJson(podLine).object();
    const PullObservation seen = PullStateMapper::observe(job, pod);
    (void)seen;
    return 0;
}
