/**
 * Registers the specs of `@Signature()` methods at once: the server entry imports this module at
 * start-up, so that `specOf()` on a method works synchronously from the first call.
 */
import * as methodSpec from './method-spec.js';
import { methodSpecs } from './method-support.js';

methodSpecs.register(methodSpec);
