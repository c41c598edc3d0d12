import 'fake-indexeddb/auto';
import { testStoreFeatures } from './storeFeatures.js';

testStoreFeatures();
