import { testStoreFeatures } from './storeFeatures.js';

testStoreFeatures();
