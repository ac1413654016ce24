// Which way a stream is read: from low versions to high, or back.
#pragma once

namespace eventstore {

enum class ReadDirection { forward, backward };

}  // namespace eventstore
