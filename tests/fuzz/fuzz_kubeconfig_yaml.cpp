// kubeconfig files: any text is parsed to a document or an error naming the file, never a
// crash or an exception escaping yaml-cpp.
#include "kube/kubeconfigyaml.h"

#include <cstdlib>

using namespace pw::kube;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = KubeConfigYaml::parse(yaml, QStringLiteral("fuzz.yaml"));
    if (!parsed.ok() && parsed.error().isEmpty())
        abort();
    if (parsed.ok()) {
        KubeConfigYaml::Document merged;
        KubeConfigYaml::mergeInto(merged, parsed.value());
        if (merged.contexts.size() != parsed.value().contexts.size())
            abort();
    }
    return 0;
}
