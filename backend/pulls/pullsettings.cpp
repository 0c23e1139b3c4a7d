#include "pullsettings.h"

#include "core/dnsname.h"
#include "core/imagereference.h"

namespace pw::pulls {

QString PullSettings::validate() const
{
    if (const QString e = core::DnsName::labelError(namespaceName, u"namespace"); !e.isEmpty())
        return e;
    if (const QString e = core::DnsName::subdomainError(credentialsSecret, u"credentials secret");
        !e.isEmpty())
        return e;
    if (!sourcePullSecret.isEmpty())
        if (const QString e = core::DnsName::subdomainError(sourcePullSecret,
                                                            u"source pull secret"); !e.isEmpty())
            return e;
    if (!harborPrefix.endsWith(u'/'))
        return QStringLiteral("harbor prefix must end with '/', e.g. harbor.local/mirror/");
    if (const auto ref = core::ImageReference::parse(harborPrefix + QStringLiteral("x")); !ref.ok())
        return QStringLiteral("harbor prefix: %1").arg(ref.error());
    for (const QString &image : {craneImage, toolsImage})
        if (const auto ref = core::ImageReference::parse(image); !ref.ok())
            return QStringLiteral("image %1: %2").arg(image, ref.error());
    if (backoffLimit < 0 || backoffLimit > 10)
        return QStringLiteral("backoff limit must be 0..10");
    if (activeDeadlineSeconds < 10)
        return QStringLiteral("active deadline must be at least 10 seconds");
    if (pullBackOffGraceSeconds < 1)
        return QStringLiteral("pull back-off grace must be at least 1 second");
    if (historyLimit < 1 || historyLimit > 100'000)
        return QStringLiteral("history limit must be 1..100000");
    return {};
}

} // namespace pw::pulls
