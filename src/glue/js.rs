//! The few JS built-ins the bindings call, declared here instead of linking
//! js-sys. Same names and signatures as js-sys's, so the bindings read the
//! same; the JS glue calls the same functions.
//!
//! Why not js-sys: it declares ~1,500 imports, and the descriptions of
//! those taking closures keep 29 closure shims and its JSPI task code in the
//! module's function table, where nothing can remove them (about 0.7 KB
//! gzip of dead code; see docs/size.md).

// The JS names: `Reflect.get`, `JSON.parse`.
#![allow(non_snake_case, clippy::upper_case_acronyms)]

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS object.
    #[derive(Clone)]
    pub type Object;

    #[wasm_bindgen(constructor)]
    pub fn new() -> Object;

    /// `Object.keys(object)`.
    #[wasm_bindgen(static_method_of = Object)]
    pub fn keys(object: &Object) -> Array;

    /// A JS array.
    #[wasm_bindgen(extends = Object)]
    #[derive(Clone)]
    pub type Array;

    #[wasm_bindgen(constructor)]
    pub fn new() -> Array;

    /// `Array.from(value)`.
    #[wasm_bindgen(static_method_of = Array)]
    pub fn from(value: &JsValue) -> Array;

    /// `Array.isArray(value)`.
    #[wasm_bindgen(static_method_of = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> bool;

    #[wasm_bindgen(method)]
    pub fn push(this: &Array, value: &JsValue) -> u32;

    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Array) -> u32;

    #[wasm_bindgen(method, indexing_getter)]
    fn at(this: &Array, index: u32) -> JsValue;

    /// A JS Date.
    #[wasm_bindgen(extends = Object)]
    #[derive(Clone)]
    pub type Date;

    /// `new Date(value)`: milliseconds since the epoch.
    #[wasm_bindgen(constructor)]
    pub fn new(value: &JsValue) -> Date;

    /// `Date.now()`.
    #[wasm_bindgen(static_method_of = Date)]
    pub fn now() -> f64;

    /// A JS Error.
    #[wasm_bindgen(extends = Object)]
    #[derive(Clone)]
    pub type Error;

    #[wasm_bindgen(constructor)]
    pub fn new(message: &str) -> Error;

    #[wasm_bindgen(method, setter)]
    pub fn set_name(this: &Error, name: &str);

    /// A JS function.
    #[wasm_bindgen(extends = Object)]
    #[derive(Clone)]
    pub type Function;

    /// `function.call(context, argument)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call1(
        this: &Function,
        context: &JsValue,
        argument: &JsValue,
    ) -> Result<JsValue, JsValue>;

    /// `function.call(context, first, second)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call2(
        this: &Function,
        context: &JsValue,
        first: &JsValue,
        second: &JsValue,
    ) -> Result<JsValue, JsValue>;

    /// A JS Promise.
    #[wasm_bindgen(extends = Object)]
    #[derive(Clone)]
    pub type Promise;

    /// `Promise.resolve(value)`.
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn resolve(value: &JsValue) -> Promise;

    /// `Promise.reject(reason)`.
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn reject(reason: &JsValue) -> Promise;

    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;

    #[cfg(feature = "account")]
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
}

impl Array {
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = JsValue> + '_ {
        (0..self.length()).map(|index| self.at(index))
    }
}

impl FromIterator<JsValue> for Array {
    fn from_iter<I: IntoIterator<Item = JsValue>>(values: I) -> Array {
        let array = Array::new();
        for value in values {
            array.push(&value);
        }
        array
    }
}

/// `Reflect.get` and `Reflect.set`.
pub struct Reflect;

impl Reflect {
    pub fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue> {
        reflect_get(target, key)
    }

    pub fn set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue> {
        reflect_set(target, key, value)
    }
}

/// `JSON.parse`.
#[cfg(feature = "account")]
pub struct JSON;

#[cfg(feature = "account")]
impl JSON {
    pub fn parse(text: &str) -> Result<JsValue, JsValue> {
        json_parse(text)
    }
}
