#pragma once
#include <napi.h>
namespace mmg {
Napi::Object build_info(Napi::Env env);
}
