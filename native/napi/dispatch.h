#pragma once
#include <napi.h>
namespace mmg {
Napi::Value Run(const Napi::CallbackInfo& info);
}
