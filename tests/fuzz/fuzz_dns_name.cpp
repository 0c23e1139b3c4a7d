// DNS-1123 names that go into Kubernetes URLs: a valid subdomain is short, lowercase
// alphanumerics, '-' and '.'; a valid label is a valid subdomain.
#include "core/dnsname.h"

#include <cstdlib>

using namespace pw::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString name = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const bool label = DnsName::isLabel(name);
    const bool subdomain = DnsName::isSubdomain(name);
    if (label && !subdomain)
        abort();
    if (subdomain) {
        if (name.isEmpty() || name.size() > DnsName::kMaxSubdomain)
            abort();
        for (QChar c : name)
            if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.'))
                abort();
    }
    if (!subdomain && DnsName::subdomainError(name, u"field").isEmpty())
        abort();
    return 0;
}
