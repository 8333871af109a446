/** The package root (the folder holding bin/, src/ and dist/). */
export declare const PACKAGE_ROOT: URL;
/** Whether dist/ is a build of the current sources (see bin/dist-state.js). */
export declare function distIsCurrent(): boolean;
