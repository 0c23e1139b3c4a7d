#include "failureclassifier.h"

#include <QStringList>

namespace pw::pulls {

namespace FailureClassifier {

core::FailureReason classifyPullError(const QString &message)
{
    // Registries word these differently (containerd, CRI-O, Docker Hub, Harbor); the most
    // specific markers are tried first. "repository does not exist or may require
    // authorization" is said for both causes, so it only decides when nothing else does.
    const QString m = message.toLower();
    static const QStringList notFound{QStringLiteral("code = notfound"), QStringLiteral(": not found"),
                                      QStringLiteral("manifest unknown"), QStringLiteral("name unknown"),
                                      QStringLiteral("invalidimagename"), QStringLiteral("not found:")};
    static const QStringList unauthorized{QStringLiteral("unauthorized"),
                                          QStringLiteral("authentication required"),
                                          QStringLiteral("authorization failed"),
                                          QStringLiteral("insufficient_scope"),
                                          QStringLiteral("access denied"),
                                          QStringLiteral("denied:"),
                                          QStringLiteral("forbidden"),
                                          QStringLiteral(" 401"),
                                          QStringLiteral(" 403")};
    for (const QString &needle : notFound)
        if (m.contains(needle))
            return core::FailureReason::ImageNotFound;
    for (const QString &needle : unauthorized)
        if (m.contains(needle))
            return core::FailureReason::Unauthorized;
    if (m.contains(QStringLiteral("does not exist")) || m.contains(QStringLiteral("not found")))
        return core::FailureReason::ImageNotFound;
    return core::FailureReason::PullBackOff;
}

} // namespace FailureClassifier

} // namespace pw::pulls
