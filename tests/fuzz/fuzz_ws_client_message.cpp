// Client messages of /ws/image-pull-all, as WsPullSubscriptions receives them: parsed into a
// subscribe/unsubscribe of a job name or "*", or an error naming the field. Beyond the
// sanitizers, what parses is checked: a known action and a job id that is "*" or a DNS-1123
// subdomain; and every failure says what was wrong.
#include "server/wsclientmessage.h"

#include "core/dnsname.h"

#include <cstdlib>

using namespace pw::core;
using namespace pw::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<WsClientMessage> message = WsClientMessage::parse(input);
    if (!message) {
        if (message.error().isEmpty())
            std::abort();
        return 0;
    }
    if (message->jobId != WsClientMessage::kAllJobs && !DnsName::isSubdomain(message->jobId))
        std::abort();
    if (message->action != WsClientMessage::Action::Subscribe
        && message->action != WsClientMessage::Action::Unsubscribe)
        std::abort();
    return 0;
}
