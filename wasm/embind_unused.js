// Linked into both modules (wasm/CMakeLists.txt, --js-library). Emscripten's
// libembind registers std::wstring, std::u16string and std::u32string in
// every module, whatever it binds, and that registration brings their
// UTF-16/UTF-32 converters into the glue (0.5 KB gzip, docs/wasm.md). Nothing
// in bindings.cpp crosses as a wide string, so here the registration does
// nothing; a binding that used one would throw Embind's UnboundTypeError
// when called.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring: function(rawType, charSize, name) {},
});
