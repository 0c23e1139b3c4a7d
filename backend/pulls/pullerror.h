#pragma once

#include <QString>

namespace pw::pulls {

// Why a pull request could not be done: an HTTP-like status and a message that says what
// was wrong and what is allowed. The API maps it to its error envelope.
struct PullError
{
    int status = 500;
    QString message;
};

} // namespace pw::pulls
