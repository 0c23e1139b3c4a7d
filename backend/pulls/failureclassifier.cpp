#include "failureclassifier.h"

#include <QStringList>

namespace FailureClassifier {

FailureReason classifyPullError(const QString &message)
{
    const QString m = message.toLower();
    static const QStringList notFound{QStringLiteral("not found"),
                                      QStringLiteral("manifest unknown"),
                                      QStringLiteral("does not exist"),
                                      QStringLiteral("name unknown"),
                                      QStringLiteral("invalidimagename")};
    static const QStringList unauthorized{QStringLiteral("unauthorized"),
                                          QStringLiteral("authentication required"),
                                          QStringLiteral("authorization failed"),
                                          QStringLiteral("access denied"),
                                          QStringLiteral("denied"),
                                          QStringLiteral("forbidden"),
                                          QStringLiteral("401"),
                                          QStringLiteral("403")};
    for (const QString &needle : notFound)
        if (m.contains(needle))
            return FailureReason::ImageNotFound;
    for (const QString &needle : unauthorized)
        if (m.contains(needle))
            return FailureReason::Unauthorized;
    return FailureReason::PullBackOff;
}

} // namespace FailureClassifier
