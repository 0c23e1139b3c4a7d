#include "demopulls.h"

namespace pw::kubesim {

namespace DemoPulls {

QList<Outcome> outcomes() {
    return {
        {QStringLiteral("notfound"), QStringLiteral("fails: ImageNotFound"),
         QStringLiteral("library/notfound-x:1")},
        {QStringLiteral("unauthorized"),
         QStringLiteral("fails: Unauthorized (the source registry refuses)"),
         QStringLiteral("team/unauthorized-x:1")},
        {QStringLiteral("pushfail"), QStringLiteral("fails: PushFailed (Harbor refuses the push)"),
         QStringLiteral("team/pushfail-x:1")},
        {QStringLiteral("unschedulable"), QStringLiteral("fails: Unschedulable (no node fits)"),
         QStringLiteral("team/unschedulable-x:1")},
        {QStringLiteral("slow"), QStringLiteral("completes after about a minute"),
         QStringLiteral("team/slow-x:1")},
        {QStringLiteral("chatty"), QStringLiteral("completes, logging many lines"),
         QStringLiteral("team/chatty-x:1")},
    };
}

QStringList seedReferences() {
    return {
        QStringLiteral("nginx:1.27"),                // completes
        QStringLiteral("team/slow-demo:1"),          // running for a minute
        QStringLiteral("team/chatty-demo:1"),        // running, logging
        QStringLiteral("library/notfound-demo:1"),   // ImageNotFound
        QStringLiteral("team/unauthorized-demo:1"),  // Unauthorized
        QStringLiteral("team/pushfail-demo:1"),      // PushFailed
        QStringLiteral("team/unschedulable-demo:1"), // Unschedulable
    };
}

} // namespace DemoPulls

} // namespace pw::kubesim
