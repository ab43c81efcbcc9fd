// The provider protocol and the fake and kubernetes providers.
